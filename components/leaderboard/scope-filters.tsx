import Link from "next/link";
import type { ReactNode } from "react";
import type { RatingScope } from "@/lib/ratings/scope";
import { hrefFor, type LeaderboardView } from "./leaderboard-url";

/** The rating variants; one at a time (each is its own maintained scope, see lib/ratings/scope.ts). */
const VARIANTS: { id: string; label: string; title: string; patch: Partial<RatingScope> }[] = [
  { id: "default", label: "All valid votes", title: "Every vote except those fraud detection flagged", patch: {} },
  { id: "signed-in", label: "Signed-in voters", title: "Only votes cast while signed in", patch: { voters: "signed-in" } },
  { id: "flagged", label: "Include flagged", title: "Also count the votes fraud detection flagged", patch: { flagged: "include" } },
  {
    id: "style",
    label: "Style control",
    title: "Remove the effect of face count, part count and materials on votes (a second fit with those covariates)",
    patch: { style: true },
  },
];

const CLEARED: Partial<RatingScope> = { tag: null, voters: "all", flagged: "exclude", style: false };

function activeVariant(s: RatingScope): string {
  if (s.voters === "signed-in") return "signed-in";
  if (s.flagged === "include") return "flagged";
  if (s.style) return "style";
  return "default";
}

export function ScopeFilters({ view, tags }: { view: LeaderboardView; tags: string[] }) {
  const variant = view.scope.tag ? null : activeVariant(view.scope);
  return (
    <div className="flex flex-col gap-2.5" data-testid="scope-filters">
      <FilterRow label="Votes">
        {VARIANTS.map((v) => (
          <Chip key={v.id} href={hrefFor(view, { ...CLEARED, ...v.patch })} active={variant === v.id} title={v.title} testId={`scope-${v.id}`}>
            {v.label}
          </Chip>
        ))}
      </FilterRow>
      {tags.length > 0 && (
        <FilterRow label="Category group">
          <Chip href={hrefFor(view, CLEARED)} active={view.scope.tag === null && variant === "default"} testId="scope-tag-all">
            All categories
          </Chip>
          {tags.map((t) => (
            <Chip key={t} href={hrefFor(view, { ...CLEARED, tag: t })} active={view.scope.tag === t} testId={`scope-tag-${t}`}>
              {t}
            </Chip>
          ))}
        </FilterRow>
      )}
    </div>
  );
}

function FilterRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <span className="mr-1 w-28 shrink-0 text-[11px] font-semibold tracking-wider text-arena-muted uppercase">{label}</span>
      {children}
    </div>
  );
}

function Chip({ href, active, title, testId, children }: { href: string; active: boolean; title?: string; testId: string; children: ReactNode }) {
  return (
    <Link
      prefetch={false}
      href={href}
      scroll={false}
      title={title}
      aria-current={active ? "true" : undefined}
      data-testid={testId}
      className={`rounded-full border px-3 py-1 text-xs font-medium transition-colors ${
        active
          ? "border-arena-accent/60 bg-arena-accent/15 text-arena-text"
          : "border-arena-border bg-arena-panel text-arena-muted hover:border-arena-muted/50 hover:text-arena-text"
      }`}
    >
      {children}
    </Link>
  );
}
