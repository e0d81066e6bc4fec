/**
 * Role order. Plain (no `server-only`): the users CLI (scripts/users.ts) shares it with the web app.
 */
import type { Role } from "@/lib/db";

export const ROLES: readonly Role[] = ["voter", "maintainer", "admin"];
const RANK: Record<Role, number> = { voter: 0, maintainer: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function higherRole(a: Role, b: Role): Role {
  return RANK[a] >= RANK[b] ? a : b;
}
