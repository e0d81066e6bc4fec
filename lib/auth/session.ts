/**
 * The signed-in account of the current request, read from the database on every request: the
 * session cookie (a next-auth JWT) only names the account. Role, block and "signed out
 * everywhere" (sessionVersion) come from the row, so a demoted admin loses access on the next
 * request and a blocked or deleted account is signed out, without waiting for the JWT to expire.
 */
import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { db, type Role } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { authOptions } from "./options";
import { roleAtLeast } from "./roles";
import { hasSessionCookie } from "@/lib/api/cookies";

export interface SignedInUser {
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
  emailVerified: boolean;
}


/** Cached per request (React `cache`): a page, its layout and its services share one read. */
export const currentUser = cache(async (): Promise<SignedInUser | null> => {
  // No session cookie, no session: most requests are anonymous voters', and next-auth's decode
  // path (request objects, JWT handling) was a visible share of a vote's CPU (issue 12).
  if (!hasSessionCookie((await cookies()).getAll().map((c) => c.name))) return null;
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const row = await db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, anonymous: true, blockedAt: true, sessionVersion: true, emailVerified: true },
  });
  if (!row || row.anonymous || row.blockedAt || row.sessionVersion !== (session.sv ?? 0)) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, emailVerified: row.emailVerified !== null };
});

export function hasRole(user: SignedInUser | null, role: Role): boolean {
  return !!user && roleAtLeast(user.role, role);
}

/** For route handlers and services: 401 when signed out, 403 when the role is too low. */
export async function requireRole(role: Role): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) throw new ApiError("unauthorized", "Please sign in first.");
  if (!hasRole(user, role)) throw new ApiError("forbidden", `This needs the ${role} role.`);
  return user;
}
