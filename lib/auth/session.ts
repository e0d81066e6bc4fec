/** The signed-in account of the current request, if any, and role checks for staff pages and routes. */
import "server-only";
import { getServerSession } from "next-auth";
import type { Role } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { authOptions } from "./options";

export interface SignedInUser {
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
}

export async function currentUser(): Promise<SignedInUser | null> {
  const session = await getServerSession(authOptions());
  const u = session?.user;
  if (!u?.id) return null;
  return { id: u.id, email: u.email ?? null, name: u.name ?? null, role: u.role };
}

const RANK: Record<Role, number> = { voter: 0, maintainer: 1, admin: 2 };

export function hasRole(user: SignedInUser | null, role: Role): boolean {
  return !!user && RANK[user.role] >= RANK[role];
}

/** For route handlers: 401 when signed out, 403 when the role is too low. */
export async function requireRole(role: Role): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) throw new ApiError("unauthorized", "Please sign in first.");
  if (!hasRole(user, role)) throw new ApiError("forbidden", `This needs the ${role} role.`);
  return user;
}
