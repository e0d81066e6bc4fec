/**
 * Whether an OAuth provider vouches for the account's email address. Only a vouched address may
 * carry an env role (lib/auth/env-roles.ts) or count as verified.
 *
 * - Google: the ID token / userinfo claim `email_verified` must be true.
 * - GitHub: the profile's `email` is whatever the user made public, verified or not; the answer
 *   is GitHub's emails API (`GET /user/emails`, scope `user:email`, which next-auth's GitHub
 *   provider requests): the entry marked `primary` must also be `verified` and be this address.
 * - Anything else: not vouched.
 */
export interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export function verifiedOAuthEmail(input: {
  provider: string;
  /** The email next-auth stored on the account. */
  email: string | null | undefined;
  profile: Record<string, unknown> | null | undefined;
  githubEmails?: GithubEmail[] | null;
}): string | null {
  const email = input.email?.trim().toLowerCase();
  if (!email) return null;
  if (input.provider === "google") {
    const claimed = String(input.profile?.email ?? "").trim().toLowerCase();
    return input.profile?.email_verified === true && claimed === email ? email : null;
  }
  if (input.provider === "github") {
    const primary = (input.githubEmails ?? []).find((e) => e.primary);
    return primary?.verified === true && primary.email.trim().toLowerCase() === email ? email : null;
  }
  return null;
}

/** GitHub's list of the user's addresses; null when it cannot be read (then nothing is vouched). */
export async function fetchGithubEmails(accessToken: string | undefined, apiBase = "https://api.github.com"): Promise<GithubEmail[] | null> {
  if (!accessToken) return null;
  try {
    const res = await fetch(`${apiBase}/user/emails`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "3dcodearena" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const body: unknown = await res.json();
    if (!Array.isArray(body)) return null;
    return body.filter(
      (e): e is GithubEmail => typeof e === "object" && e !== null && typeof e.email === "string" && typeof e.primary === "boolean" && typeof e.verified === "boolean",
    );
  } catch {
    return null;
  }
}
