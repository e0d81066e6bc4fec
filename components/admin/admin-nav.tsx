import { NavLink } from "@/components/site/nav-link";

/** The console's sections; generation pages belong to Sweeps. */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="-mx-1 flex flex-wrap items-center gap-1 border-b border-arena-border pb-3 text-sm">
      <span className="mr-2 text-xs font-semibold tracking-wide text-arena-muted uppercase">Admin</span>
      <NavLink href="/admin" exact testId="admin-nav-dashboard">
        Dashboard
      </NavLink>
      <NavLink href="/admin/models" testId="admin-nav-models">
        Models
      </NavLink>
      <NavLink href="/admin/sweeps" alsoActiveUnder="/admin/generations" testId="admin-nav-sweeps">
        Sweeps
      </NavLink>
      <NavLink href="/admin/categories" testId="admin-nav-categories">
        Categories
      </NavLink>
      <NavLink href="/admin/metrics" testId="admin-nav-metrics">
        Metrics
      </NavLink>
      <NavLink href="/admin/import" testId="admin-nav-import">
        Import
      </NavLink>
      <NavLink href="/admin/judge" testId="admin-nav-judge">
        LLM judge
      </NavLink>
      <NavLink href="/admin/audit" testId="admin-nav-audit">
        Audit log
      </NavLink>
    </nav>
  );
}
