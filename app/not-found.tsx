import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/** Every 404 (an unknown address, a model or battle that does not exist or is not yours to see). */
export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-center gap-4 px-6 py-20 text-center" data-testid="not-found">
      <p className="text-5xl font-semibold tracking-tight text-arena-accent tabular">404</p>
      <h1 className="text-xl font-semibold">There is nothing at this address</h1>
      <p className="text-sm text-arena-muted">
        The link may be mistyped, or it points to something that was removed or is not shown to you.
      </p>
      <div className="mt-2 flex flex-wrap justify-center gap-3">
        <Link
          prefetch={false}
          href="/"
          className="rounded-lg bg-arena-accent px-4 py-2 text-sm font-semibold text-arena-bg hover:brightness-110"
          data-testid="not-found-home"
        >
          Back to the arena
        </Link>
        <Link prefetch={false} href="/leaderboard" className="rounded-lg border border-arena-border px-4 py-2 text-sm font-medium hover:bg-arena-panel">
          Leaderboard
        </Link>
      </div>
    </div>
  );
}
