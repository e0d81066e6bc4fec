import Link from "next/link";
import { AccountMenu } from "./account-menu";
import { NavLink } from "./nav-link";

export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-b border-arena-border/80 bg-arena-bg/85 backdrop-blur supports-[backdrop-filter]:bg-arena-bg/70">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-3 sm:gap-4 sm:px-6">
        <Link prefetch={false} href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight" data-testid="brand" aria-label="3DCodeArena home">
          <LogoMark />
          {/* Narrow phones: the mark alone, so the nav fits on one line. */}
          <span className="hidden text-[15px] min-[420px]:inline">
            3DCode<span className="text-arena-accent">Arena</span>
          </span>
        </Link>
        {/* Staff accounts carry two more links: on a narrow phone the nav scrolls inside itself rather
            than widening the page (no sideways scroll of the whole page). */}
        <nav aria-label="Main" className="ml-auto flex min-w-0 items-center gap-0.5 overflow-x-auto text-sm [scrollbar-width:none] sm:gap-1">
          <NavLink href="/" testId="nav-arena">
            Arena
          </NavLink>
          <NavLink href="/leaderboard" testId="nav-leaderboard">
            Leaderboard
          </NavLink>
          <AccountMenu />
        </nav>
      </div>
    </header>
  );
}

/** An isometric cube: the arena compares 3D objects. */
function LogoMark() {
  return (
    <svg viewBox="0 0 24 24" className="h-6 w-6" aria-hidden="true">
      <path d="M12 2.5 20.5 7v10L12 21.5 3.5 17V7z" fill="#1b2333" stroke="#6ea8fe" strokeWidth="1.4" strokeLinejoin="round" />
      <path d="M3.5 7 12 11.5 20.5 7M12 11.5v10" fill="none" stroke="#6ea8fe" strokeWidth="1.4" strokeLinejoin="round" />
      <path d="M12 11.5 20.5 7v10L12 21.5z" fill="#6ea8fe" fillOpacity="0.25" />
    </svg>
  );
}
