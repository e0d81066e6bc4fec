import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { referencesOverview } from "@/lib/categories/admin";
import type { ReferenceState } from "@/lib/categories/references";
import { PageHeader, Panel } from "@/components/admin/panel";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { ReferenceActions } from "@/components/admin/reference-actions";

export const metadata: Metadata = { title: "Categories · Admin" };
export const dynamic = "force-dynamic";

const STATES: { state: ReferenceState; label: string; color: string }[] = [
  { state: "prepared", label: "Prepared", color: "text-arena-win" },
  { state: "rendering", label: "Rendering", color: "text-violet-300" },
  { state: "queued", label: "Queued", color: "text-sky-300" },
  { state: "failed", label: "Failed", color: "text-arena-danger" },
  { state: "stale", label: "Stale", color: "text-arena-warn" },
  { state: "unprepared", label: "Not prepared", color: "text-arena-muted" },
];

function ago(d: Date | null): string {
  if (!d) return "";
  const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : d.toISOString().slice(0, 16).replace("T", " ");
}

function renderedWith(r: unknown): string {
  if (!r || typeof r !== "object") return "";
  const x = r as { samples?: number; resolution?: number; denoiser?: string | null; renderSec?: number };
  return `${x.samples} spp, ${x.resolution} px, ${x.denoiser ? "denoised" : "no denoiser"}${x.renderSec !== undefined ? `, ${x.renderSec} s` : ""}`;
}

export default async function CategoriesPage() {
  const access = await pageAccess("admin", "/admin/categories");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const p = await referencesOverview();
  const byState = new Map(STATES.map((s) => [s.state, s]));
  return (
    <div className="flex flex-col gap-6" data-testid="admin-categories">
      <PageHeader
        title="Categories"
        actions={
          <div className="flex items-center gap-3">
            <AutoRefresh intervalMs={3000} />
            <ReferenceActions />
          </div>
        }
      >
        Each category&apos;s reference is executed once per content, reference profile and Blender version, in the background: its four views are the
        Image&nbsp;&rarr;&nbsp;3D input and its GLB the Chamfer ground truth. Reference profile <span className="font-mono">{p.profileLabel}</span>
        {p.blenderVersion ? (
          <>
            , Blender <span className="font-mono">{p.blenderVersion}</span> (execution worker).
          </>
        ) : (
          <> ; no execution worker is running, so Blender versions are not compared.</>
        )}
      </PageHeader>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="reference-counts">
        {STATES.map((s) => (
          <div key={s.state} className="rounded-xl border border-arena-border bg-arena-panel p-3" data-testid={`reference-count-${s.state}`} data-count={p.counts[s.state]}>
            <div className="text-xs text-arena-muted">{s.label}</div>
            <div className={`text-xl font-semibold tabular ${s.color}`}>{p.counts[s.state]}</div>
          </div>
        ))}
      </div>
      <Panel title={`${p.categories.length} categories`}>
        {p.categories.length === 0 ? (
          <p className="text-sm text-arena-muted">No categories imported yet (npm run categories:import).</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-arena-muted">
                <tr>
                  <th className="py-1.5 pr-3 font-medium">Category</th>
                  <th className="py-1.5 pr-3 font-medium">Set</th>
                  <th className="py-1.5 pr-3 font-medium">Reference</th>
                  <th className="py-1.5 pr-3 font-medium">Profile</th>
                  <th className="py-1.5 pr-3 font-medium">Blender</th>
                  <th className="py-1.5 pr-3 font-medium">Views</th>
                  <th className="py-1.5 pr-3 font-medium">When</th>
                  <th className="py-1.5" />
                </tr>
              </thead>
              <tbody className="divide-y divide-arena-border/60">
                {p.categories.map((c) => {
                  const s = byState.get(c.state)!;
                  const when = c.state === "rendering" ? `started ${ago(c.startedAt)}` : c.state === "queued" ? `queued ${ago(c.queuedAt)}` : ago(c.preparedAt);
                  return (
                    <tr key={c.id} data-testid="reference-row" data-instance={c.instanceId} data-state={c.state}>
                      <td className="py-1.5 pr-3 font-mono text-xs">{c.instanceId}</td>
                      <td className="py-1.5 pr-3 text-arena-muted">{c.setName}</td>
                      <td className="py-1.5 pr-3">
                        <span className={s.color}>{s.label}</span>
                        {c.state === "failed" && <span className="ml-2 text-xs text-arena-muted" title={c.error ?? undefined}>{c.status}</span>}
                      </td>
                      <td className="py-1.5 pr-3 font-mono text-xs">{c.profile ?? ""}</td>
                      <td className="py-1.5 pr-3 font-mono text-xs">{c.blenderVersion ?? ""}</td>
                      <td className="py-1.5 pr-3 text-xs text-arena-muted">{renderedWith(c.renderer)}</td>
                      <td className="py-1.5 pr-3 text-xs text-arena-muted">{when}</td>
                      <td className="py-1.5 text-right">{(c.state === "prepared" || c.state === "failed") && <ReferenceActions categoryId={c.id} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
