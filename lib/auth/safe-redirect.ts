/**
 * Where to send someone after signing in: a path on this site, never elsewhere. A callback URL
 * is attacker-chosen (it is in the link), and browsers read `/\evil.example` and
 * `//evil.example` as "another host", so prefix checks are not enough: the value is resolved
 * exactly as a browser would, against a placeholder origin, and only accepted if it stays there.
 * What comes back is the browser-normalised path, so no backslash or control character survives.
 */
const PLACEHOLDER = "http://callback.invalid";

export function safeCallbackPath(value: unknown, fallback = "/"): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== "string" || !v.startsWith("/") || v.length > 2000) return fallback;
  // Tabs and newlines are stripped by URL parsers (`/\t/evil.example` is `//evil.example`).
  if (/[\u0000-\u001f\u007f]/.test(v)) return fallback;
  let url: URL;
  try {
    url = new URL(v, PLACEHOLDER);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Belt and braces: what we return must itself read as a same-origin path.
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : fallback;
}

/**
 * next-auth's `redirect` callback: relative paths and absolute URLs on our own origin (baseUrl)
 * are kept as paths on it; everything else lands on the home page.
 */
export function safeAuthRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  let path = url;
  try {
    const abs = new URL(url);
    if (abs.origin !== new URL(baseUrl).origin) return baseUrl;
    path = `${abs.pathname}${abs.search}${abs.hash}`;
  } catch {
    // Not absolute: a path, checked below.
  }
  return `${baseUrl.replace(/\/$/, "")}${safeCallbackPath(path)}`;
}
