/**
 * ADMIN_EMAILS / MAINTAINER_EMAILS: the first staff accounts. An address in those lists is worth
 * a role only once its owner has proven it (a verified OAuth email, or the verification link sent
 * to it): otherwise registering someone else's address first would make you their admin.
 *
 * The role is applied when the proof arrives (verification, or an OAuth sign-in with a verified
 * email) and on each later sign-in. Env only ever raises a role; lowering one is an admin's call
 * (`npm run users -- promote <email> voter`), and the address must leave the env list as well, or
 * the next sign-in raises it again.
 */
import { db, type Role } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { higherRole } from "./roles";

function listed(list: string | undefined, email: string): boolean {
  return (list ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .includes(email.toLowerCase());
}

/** The role env grants this address, or null. */
export function roleFromEnv(email: string | null | undefined): Role | null {
  if (!email) return null;
  const env = getEnv();
  if (listed(env.ADMIN_EMAILS, email)) return "admin";
  if (listed(env.MAINTAINER_EMAILS, email)) return "maintainer";
  return null;
}

/** Raises the account's role to what env grants its (proven) address; returns the role it has now. */
export async function applyEnvRole(userId: string, provenEmail: string): Promise<Role | null> {
  const granted = roleFromEnv(provenEmail);
  const row = await db().user.findUnique({ where: { id: userId }, select: { role: true, email: true } });
  if (!row) return null;
  // The proof must be for the address on the account, not some other one the provider knows.
  if (!granted || row.email?.toLowerCase() !== provenEmail.toLowerCase()) return row.role;
  const role = higherRole(row.role, granted);
  if (role !== row.role) await db().user.update({ where: { id: userId }, data: { role } });
  return role;
}
