"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

interface Props {
  href: string;
  testId: string;
  children: ReactNode;
  /** Active only on `href` itself, not below it ("/" always is exact). */
  exact?: boolean;
  /** Other path prefixes this link stands for (e.g. a detail page reached from its list). */
  alsoActiveUnder?: string;
}

export function NavLink({ href, testId, children, exact = href === "/", alsoActiveUnder }: Props) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname.startsWith(href) || (alsoActiveUnder !== undefined && pathname.startsWith(alsoActiveUnder));
  return (
    <Link
      prefetch={false}
      href={href}
      data-testid={testId}
      aria-current={active ? "page" : undefined}
      className={`rounded-md px-1.5 py-1.5 whitespace-nowrap transition-colors sm:px-3 ${
        active ? "bg-arena-raised text-arena-text" : "text-arena-muted hover:bg-arena-panel hover:text-arena-text"
      }`}
    >
      {children}
    </Link>
  );
}
