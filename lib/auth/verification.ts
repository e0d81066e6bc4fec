/**
 * Email verification for email + password accounts. A link carries a random token; only its
 * sha256 is stored (VerificationToken), it expires after 24 hours, a newer link replaces older
 * ones, and using it deletes it (single use, also under concurrent clicks).
 *
 * Whoever opens the link proves they read that mailbox, so they also settle the password: the one
 * they type replaces the stored one unless it matches. Otherwise someone who registered your
 * address first (and so knows its password) would keep access once you verified it. When the
 * password changes, every existing session of the account ends (sessionVersion).
 *
 * No `import "server-only"`: the users CLI (scripts/users.ts) issues links too.
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { hashPassword, verifyPassword } from "./password";
import { applyEnvRole } from "./env-roles";

const TTL_MS = 24 * 3600 * 1000;
const identifier = (email: string) => `verify-email:${email.toLowerCase()}`;
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The site's public URL for links: NEXTAUTH_URL, else this machine on PORT. Never the request's
 * Host header: a forged Host would mail a victim a link to the attacker's site, token included.
 */
export function siteUrl(): string {
  const env = getEnv();
  return (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** A fresh link for an existing, non-anonymous account; null when there is none. */
export async function issueVerificationLink(email: string): Promise<{ link: string; expiresAt: Date } | null> {
  const address = email.trim().toLowerCase();
  const user = await db().user.findUnique({ where: { email: address }, select: { id: true, anonymous: true } });
  if (!user || user.anonymous) return null;
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + TTL_MS);
  await db().$transaction([
    db().verificationToken.deleteMany({ where: { identifier: identifier(address) } }),
    db().verificationToken.create({ data: { identifier: identifier(address), token: digest(token), expires: expiresAt } }),
  ]);
  return { link: `${siteUrl()}/verify?token=${token}`, expiresAt };
}

const INVALID = "This verification link is invalid, used or expired. Register again (or ask an admin) for a new one.";

/** Marks the address verified, settles the password (see above) and applies env roles. */
export async function consumeVerification(token: string, password: string): Promise<{ email: string; passwordChanged: boolean }> {
  const row = await db().verificationToken.findUnique({ where: { token: digest(token) } });
  if (!row || !row.identifier.startsWith("verify-email:")) throw new ApiError("bad_token", INVALID);
  // deleteMany reports how many rows it removed: of two concurrent uses, exactly one gets 1.
  const used = await db().verificationToken.deleteMany({ where: { token: row.token, expires: { gt: new Date() } } });
  if (used.count !== 1) {
    await db().verificationToken.deleteMany({ where: { token: row.token } });
    throw new ApiError("bad_token", INVALID);
  }
  const email = row.identifier.slice("verify-email:".length);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, passwordHash: true, emailVerified: true } });
  if (!user) throw new ApiError("bad_token", INVALID);
  const same = (await verifyPassword(password, user.passwordHash)).ok;
  await db().user.update({
    where: { id: user.id },
    data: {
      emailVerified: user.emailVerified ?? new Date(),
      ...(same ? {} : { passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } }),
    },
  });
  await applyEnvRole(user.id, email);
  return { email, passwordChanged: !same };
}
