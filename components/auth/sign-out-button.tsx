"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/" })} className="rounded-md px-1.5 py-1.5 whitespace-nowrap text-arena-muted hover:text-arena-text sm:px-3" data-testid="nav-signout">
      Sign out
    </button>
  );
}
