import Link from "next/link";
import { currentUser, hasRole } from "@/lib/auth/session";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { SignInLink } from "./sign-in-link";

/** Header corner: "Sign in", or the account with staff links and sign-out. */
export async function AccountMenu() {
  const user = await currentUser().catch(() => null);
  if (!user) {
    return <SignInLink />;
  }
  return (
    <div className="flex items-center gap-1 text-sm">
      {hasRole(user, "admin") && (
        <Link prefetch={false} href="/admin" className="rounded-md px-1.5 py-1.5 whitespace-nowrap text-arena-muted hover:text-arena-text sm:px-3" data-testid="nav-admin">
          Admin
        </Link>
      )}
      {hasRole(user, "maintainer") && (
        <Link prefetch={false} href="/moderation" className="rounded-md px-1.5 py-1.5 whitespace-nowrap text-arena-muted hover:text-arena-text sm:px-3" data-testid="nav-moderation">
          Moderation
        </Link>
      )}
      <span className="hidden max-w-40 truncate px-2 text-arena-muted sm:inline" data-testid="nav-user" title={user.email ?? undefined}>
        {user.name ?? user.email}
      </span>
      <SignOutButton />
    </div>
  );
}
