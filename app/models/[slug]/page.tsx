import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getModelProfile, type ModelProfile, type ScopeRating } from "@/lib/leaderboard/model-profile";
import { IntervalChart } from "@/components/charts/interval-chart";
import { ModelGallery } from "@/components/models/model-gallery";
import { MetricCards } from "@/components/models/metric-cards";
import { RatingTable, UnratedScopes } from "@/components/models/rating-table";
import { currentVoter } from "@/lib/battles/voter";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const profile = await getModelProfile((await params).slug);
  return profile ? { title: profile.displayName, description: `Ratings, metrics and outputs of ${profile.displayName} in 3DCodeArena.` } : { title: "Model not found" };
}

/** Default-variant ratings first (all, text, image), then the variants, then category groups. */
function order(r: ScopeRating): number {
  const track = { all: 0, text: 1, image: 2 }[r.scope.track];
  const variant = r.scope.tag ? 4 : r.scope.style ? 1 : r.scope.voters !== "all" ? 2 : r.scope.flagged !== "exclude" ? 3 : 0;
  return variant * 10 + track;
}

export default async function ModelPage({ params }: Params) {
  const profile = await getModelProfile((await params).slug, await currentVoter({ create: false }));
  if (!profile) notFound();
  const ratings = [...profile.ratings].sort((a, b) => order(a) - order(b) || (a.scope.tag ?? "").localeCompare(b.scope.tag ?? ""));
  const main = ratings.filter((r) => !r.scope.tag);
  const groups = ratings.filter((r) => r.scope.tag && r.scope.track === "all");

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-8 px-4 py-6 sm:px-6 sm:py-8" data-testid="model-page" data-model={profile.slug}>
      <Header profile={profile} />
      <section aria-labelledby="ratings-heading" className="flex flex-col gap-3">
        <h2 id="ratings-heading" className="text-lg font-semibold tracking-tight">
          Ratings
        </h2>
        {main.length === 0 && profile.unrated.length === 0 ? (
          <p className="rounded-xl border border-dashed border-arena-border px-4 py-6 text-sm text-arena-muted" data-testid="model-no-ratings">
            No votes involve this model yet.{" "}
            <Link href="/" className="font-medium text-arena-accent hover:underline">
              Vote in the arena →
            </Link>
          </p>
        ) : (
          main.length > 0 && <RatingTable ratings={main} />
        )}
        {profile.unrated.length > 0 && <UnratedScopes unrated={profile.unrated} />}
        {groups.length > 0 && (
          <IntervalChart
            testId="model-group-ratings"
            title="By category group (both tracks)"
            caption="Elo with 95% CI among the models rated on categories with each tag (each on its own scale)."
            valueLabel="Elo"
            items={groups.map((r) => ({
              id: r.scope.tag!,
              label: r.scope.tag!,
              value: r.elo,
              low: r.ciLow,
              high: r.ciHigh,
              note: `rank ${r.rank} of ${r.of}`,
              href: `/leaderboard?tag=${encodeURIComponent(r.scope.tag!)}`,
            }))}
          />
        )}
      </section>
      <section aria-labelledby="metrics-heading" className="flex flex-col gap-3">
        <h2 id="metrics-heading" className="text-lg font-semibold tracking-tight">
          Automated metrics
        </h2>
        <MetricCards metrics={profile.metrics} registry={profile.registryMetrics} />
      </section>
      <section aria-labelledby="gallery-heading" className="flex flex-col gap-3">
        <h2 id="gallery-heading" className="text-lg font-semibold tracking-tight">
          Outputs
        </h2>
        <ModelGallery items={profile.gallery} blindOutputs={profile.blindOutputs} />
      </section>
    </div>
  );
}

function Header({ profile: p }: { profile: ModelProfile }) {
  return (
    <header className="flex flex-col gap-2">
      <Link href="/leaderboard" className="text-sm text-arena-muted hover:text-arena-text">
        ← Leaderboard
      </Link>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="model-name">
          {p.displayName}
        </h1>
        <span className="text-arena-muted">{p.organisation}</span>
        <span className="rounded-full border border-arena-border bg-arena-raised px-2 py-px text-[11px] font-medium tracking-wide text-arena-muted uppercase">
          {p.kind}
        </span>
      </div>
      {p.description && <p className="max-w-3xl text-sm text-arena-text/80">{p.description}</p>}
      <p className="text-xs text-arena-muted">
        Harness <span className="font-mono text-arena-text/80">{p.harness}</span> · model id{" "}
        <span className="font-mono text-arena-text/80">{p.providerModelId}</span>
      </p>
    </header>
  );
}
