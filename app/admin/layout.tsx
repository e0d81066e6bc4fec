import type { ReactNode } from "react";
import { adminPageUser } from "@/lib/services/admin/guard";
import { AdminNav } from "@/components/admin/admin-nav";

export const dynamic = "force-dynamic";

/** Every /admin page passes through here: sign-in redirect, or the admins-only screen. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const { user, admin } = await adminPageUser();
  if (!admin) {
    return (
      <div className="mx-auto max-w-xl px-4 py-16 text-center" data-testid="admin-forbidden">
        <h1 className="text-xl font-semibold">Admins only</h1>
        <p className="mt-2 text-sm text-arena-muted">
          You are signed in as {user.email}, which does not have the admin role. The first admin is set with ADMIN_EMAILS on the
          server.
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 sm:py-8" data-testid="admin-shell">
      <AdminNav />
      {children}
    </div>
  );
}
