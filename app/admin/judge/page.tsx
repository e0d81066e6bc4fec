import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { PageHeader, Panel } from "@/components/admin/panel";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { judgePageData } from "@/lib/judge/page-data";
import { MIN_AGREEMENT_SAMPLE } from "@/lib/judge/agreement";
import { JudgeRunForm } from "@/components/admin/judge/judge-run-form";
import { JudgeRuns } from "@/components/admin/judge/judge-runs";
import { JudgeAgreement } from "@/components/admin/judge/judge-agreement";

export const metadata: Metadata = { title: "LLM judge" };
export const dynamic = "force-dynamic";

export default async function JudgePage() {
  const access = await pageAccess("admin", "/admin/judge");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const d = await judgePageData();
  const running = d.runs.some((r) => r.status === "running");
  return (
    <div className="flex flex-col gap-6" data-testid="judge-page">
      <PageHeader title="LLM judge">
        A model judges battles people voted on, and we measure how often it agrees with them. Figures need at least {MIN_AGREEMENT_SAMPLE} battles;
        see docs/judge.md for the definitions.
      </PageHeader>
      <Panel title="New run">
        <JudgeRunForm judges={d.judges} categorySets={d.categorySets} benchmarkCheckout={d.benchmarkCheckout} />
      </Panel>
      <Panel title="Agreement with people" testId="judge-agreement">
        {d.groups.length === 0 ? (
          <p className="text-sm text-arena-muted">No verdict yet: start a run above.</p>
        ) : (
          <div className="flex flex-col gap-4">
            {d.groups.map((g) => (
              <JudgeAgreement key={`${g.judge.slug}-${g.mode}-${g.track}-${g.promptVersion}`} g={g} />
            ))}
          </div>
        )}
      </Panel>
      <Panel title="Runs">
        <JudgeRuns runs={d.runs} />
      </Panel>
      {running && <AutoRefresh intervalMs={3000} />}
    </div>
  );
}
