/**
 * The access check every staff page runs itself, before it loads anything (house rules §13: a
 * layout is not a guard; Next renders a page beside its layout and ships the page's data in the
 * RSC payload even when the layout redirects or refuses).
 *
 *   const access = await pageAccess("admin", "/admin/audit");
 *   if (!access.allowed) return <StaffOnly access={access} />;
 *
 * Signed out: a redirect to sign-in that comes back here. Signed in without the role: `allowed:
 * false`, and the page renders the forbidden screen instead of its content. The services the
 * page then calls check the role again (requireRole), so a page that forgot this still leaks
 * nothing.
 */
import "server-only";
import { redirect } from "next/navigation";
import type { Role } from "@/lib/db";
import { currentUser, hasRole, type SignedInUser } from "./session";
import { safeCallbackPath } from "./safe-redirect";

export type PageAccess = { allowed: true; user: SignedInUser } | { allowed: false; user: SignedInUser; role: Role };

export async function pageAccess(role: Role, path: string): Promise<PageAccess> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeCallbackPath(path))}`);
  return hasRole(user, role) ? { allowed: true, user } : { allowed: false, user, role };
}
