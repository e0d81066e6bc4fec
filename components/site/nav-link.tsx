"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

export function NavLink({ href, testId, children }: { href: string; testId: string; children: ReactNode }) {
  const pathname = usePathname();
  const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link
      href={href}
      data-testid={testId}
      aria-current={active ? "page" : undefined}
      className={`rounded-md px-2 py-1.5 whitespace-nowrap transition-colors sm:px-3 ${
        active ? "bg-arena-raised text-arena-text" : "text-arena-muted hover:bg-arena-panel hover:text-arena-text"
      }`}
    >
      {children}
    </Link>
  );
}
