import type { ReactNode } from "react";
import { currentUser, hasRole } from "@/lib/auth/session";
import { AdminNav } from "@/components/admin/admin-nav";

export const dynamic = "force-dynamic";

/**
 * The console's frame. Not a guard: Next renders each page beside this layout, so every page under
 * /admin checks the role itself (lib/auth/page-guard.ts) and shows the admins-only screen; this
 * only decides whether to frame the page with the console's navigation.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  if (!hasRole(await currentUser(), "admin")) return children;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 sm:py-8" data-testid="admin-shell">
      <AdminNav />
      {children}
    </div>
  );
}
