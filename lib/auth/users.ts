/**
 * Account administration for the users CLI (scripts/users.ts): list accounts, set roles, end
 * sessions, block and unblock, and issue verification links. Every change takes effect on the
 * account's next request: roles and blocks are read from the database per request.
 *
 * No `import "server-only"`: this runs from the CLI, in plain Node.
 */
import { db, type Role } from "@/lib/db";
import { issueVerificationLink } from "@/lib/auth/verification";

export class UserCommandError extends Error {}

export interface AccountRow {
  email: string;
  name: string | null;
  role: Role;
  verified: boolean;
  blocked: boolean;
  createdAt: Date;
}

async function byEmail(email: string) {
  const address = email.trim().toLowerCase();
  const user = await db().user.findUnique({ where: { email: address }, select: { id: true, email: true, role: true, emailVerified: true, blockedAt: true } });
  if (!user) throw new UserCommandError(`No account with the email ${address}.`);
  return { ...user, email: address };
}

export async function listAccounts(filter: { role?: Role } = {}): Promise<AccountRow[]> {
  const rows = await db().user.findMany({
    where: { anonymous: false, email: { not: null }, ...(filter.role ? { role: filter.role } : {}) },
    orderBy: [{ role: "desc" }, { email: "asc" }],
    select: { email: true, name: true, role: true, emailVerified: true, blockedAt: true, createdAt: true },
  });
  return rows.map((r) => ({ email: r.email!, name: r.name, role: r.role, verified: r.emailVerified !== null, blocked: r.blockedAt !== null, createdAt: r.createdAt }));
}

/** Sets the role (also lowering it). Returns the previous role and whether the address is verified. */
export async function setRole(email: string, role: Role): Promise<{ before: Role; verified: boolean }> {
  const user = await byEmail(email);
  await db().user.update({ where: { id: user.id }, data: { role } });
  return { before: user.role, verified: user.emailVerified !== null };
}

/** Ends every session of the account (they sign in again); nothing else changes. */
export async function signOutEverywhere(email: string): Promise<void> {
  const user = await byEmail(email);
  await db().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
}

export async function setBlocked(email: string, blocked: boolean): Promise<{ changed: boolean }> {
  const user = await byEmail(email);
  if ((user.blockedAt !== null) === blocked) return { changed: false };
  await db().user.update({
    where: { id: user.id },
    data: blocked ? { blockedAt: new Date(), sessionVersion: { increment: 1 } } : { blockedAt: null },
  });
  return { changed: true };
}

export async function verificationLink(email: string): Promise<{ link: string; expiresAt: Date }> {
  const user = await byEmail(email);
  const issued = await issueVerificationLink(user.email);
  if (!issued) throw new UserCommandError(`No account with the email ${user.email}.`);
  return issued;
}
