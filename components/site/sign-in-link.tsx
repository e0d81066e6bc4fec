"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";

/**
 * "Sign in" in the header, coming back to the page it was clicked on (the sign-in page keeps only
 * same-site paths: lib/auth/safe-redirect.ts). The query is added on click, from the address bar:
 * reading it while rendering would make every page wait for the client's search params.
 */
export function SignInLink() {
  const pathname = usePathname();
  const router = useRouter();
  const back = pathname === "/signin" ? null : pathname;
  const href = back && back !== "/" ? `/signin?callbackUrl=${encodeURIComponent(back)}` : "/signin";
  return (
    <Link
      prefetch={false}
      href={href}
      onClick={(e) => {
        if (!back || !window.location.search || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        router.push(`/signin?callbackUrl=${encodeURIComponent(back + window.location.search)}`);
      }}
      className="rounded-md px-2 py-1.5 text-sm whitespace-nowrap text-arena-muted hover:text-arena-text sm:px-3"
      data-testid="nav-signin"
    >
      Sign in
    </Link>
  );
}
