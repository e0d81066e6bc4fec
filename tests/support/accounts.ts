/**
 * Account helpers for the e2e suites: staff accounts must prove their address before an env role
 * applies, exactly as in production. Without SMTP the web server writes the verification link to
 * its log, which the launcher echoes; these helpers read it from there and confirm it in the
 * browser, or issue one the way `npm run users -- link` does.
 */
import type { Page } from "playwright-core";
import type { Launched } from "./stack";

/** The newest verification link the web server logged for `email` (waits for the background mail). */
export async function loggedVerificationLink(stack: Launched, email: string, opts: { notBefore?: number; timeoutMs?: number } = {}): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const re = new RegExp(`verification link for ${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: (\\S+)`, "g");
  for (;;) {
    const out = stack.output().slice(opts.notBefore ?? 0);
    const links = [...out.matchAll(re)].map((m) => m[1]!);
    if (links.length) return links[links.length - 1]!;
    if (Date.now() > deadline) throw new Error(`no verification link for ${email} in the web server's log`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A fresh link issued like the users CLI does, pointed at this stack. */
export async function cliVerificationLink(stack: Launched, email: string): Promise<string> {
  const { verificationLink } = await import("@/lib/auth/users");
  const { link } = await verificationLink(email);
  return `${stack.url}/verify?${new URL(link).searchParams.toString()}`;
}

/** Opens a verification link and confirms it with the account's password. */
export async function confirmEmail(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId("verify-password").fill(password);
  await page.getByTestId("verify-submit").click();
  await page.getByTestId("verify-done").waitFor({ timeout: 20_000 });
}

/** An account made directly in the database (as `npm run users` would leave it), for suites that need many. */
export async function seedAccount(opts: { email: string; password: string; role?: "voter" | "maintainer" | "admin"; verified?: boolean; passwordHash?: string }): Promise<string> {
  const { db } = await import("@/lib/db");
  const { hashPassword } = await import("@/lib/auth/password");
  const user = await db().user.create({
    data: {
      email: opts.email,
      passwordHash: opts.passwordHash ?? (await hashPassword(opts.password)),
      role: opts.role ?? "voter",
      emailVerified: opts.verified === false ? null : new Date(),
    },
  });
  return user.id;
}

export interface SignIn {
  /** The Cookie header of the signed-in session ("" when sign-in failed). */
  cookie: string;
  /** next-auth's error code when it failed (CredentialsSignin, throttled:<s>, blocked). */
  error: string | null;
  /** Where next-auth would send the browser. */
  url: string;
}

/** Email + password sign-in over HTTP, the way next-auth's client does it (CSRF token, form post). */
export async function passwordSignIn(base: string, email: string, password: string, callbackUrl = "/"): Promise<SignIn> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
    redirect: "manual",
  });
  keep(res);
  const { url } = (await res.json()) as { url: string };
  const error = new URL(url).searchParams.get("error");
  const session = [...jar.keys()].some((k) => k.endsWith("next-auth.session-token"));
  return { cookie: session && !error ? cookie() : "", error, url };
}
