import type { Role } from "@/lib/db";

const WHO: Record<Role, string> = { admin: "Admins", maintainer: "Maintainers", voter: "Signed-in voters" };

/**
 * The forbidden screen of a staff page (lib/auth/page-guard.ts). It says which role is needed
 * and how roles are granted, and nothing about the page's data.
 */
export function StaffOnly({ access, testId }: { access: { role: Role; user: { email: string | null } }; testId: string }) {
  return (
    <div className="mx-auto max-w-xl px-4 py-16 text-center" data-testid={testId}>
      <h1 className="text-xl font-semibold">{WHO[access.role]} only</h1>
      <p className="mt-2 text-sm text-arena-muted">
        You are signed in as {access.user.email}, which does not have the {access.role} role. Roles are granted by an admin
        (<code>npm run users -- promote</code>), or by {access.role === "admin" ? "ADMIN_EMAILS" : "MAINTAINER_EMAILS"} on the server
        once the address is verified.
      </p>
    </div>
  );
}
