"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  ["/admin", "Dashboard", "admin-nav-dashboard"],
  ["/admin/models", "Models", "admin-nav-models"],
  ["/admin/sweeps", "Sweeps", "admin-nav-sweeps"],
  ["/admin/import", "Import", "admin-nav-import"],
  ["/admin/audit", "Audit log", "admin-nav-audit"],
] as const;

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="-mx-1 flex flex-wrap items-center gap-1 border-b border-arena-border pb-3 text-sm">
      <span className="mr-2 text-xs font-semibold tracking-wide text-arena-muted uppercase">Admin</span>
      {LINKS.map(([href, label, testId]) => {
        const active = href === "/admin" ? pathname === href : pathname.startsWith(href) || (href === "/admin/sweeps" && pathname.startsWith("/admin/generations"));
        return (
          <Link
            key={href}
            href={href}
            data-testid={testId}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2 py-1.5 whitespace-nowrap transition-colors sm:px-3 ${
              active ? "bg-arena-raised text-arena-text" : "text-arena-muted hover:bg-arena-panel hover:text-arena-text"
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
