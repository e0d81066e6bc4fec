"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/" })} className="rounded-md px-3 py-1.5 text-arena-muted hover:text-arena-text" data-testid="nav-signout">
      Sign out
    </button>
  );
}
