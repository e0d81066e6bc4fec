/**
 * What /admin/judge reads (house rule 13: the service checks the role itself, not only the page).
 */
import "server-only";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { computeJudgeOverview, type JudgeGroup } from "./overview";
import { listJudgeRuns, type RunProgress } from "./runs";

export interface JudgePageData {
  groups: JudgeGroup[];
  runs: RunProgress[];
  /** Models that can judge: contestants behind a provider (hidden ones included). */
  judges: { slug: string; name: string; model: string }[];
  categorySets: string[];
  benchmarkCheckout: boolean;
}

export async function judgePageData(): Promise<JudgePageData> {
  await requireRole("admin");
  const [groups, runs, judges, sets] = await Promise.all([
    computeJudgeOverview(),
    listJudgeRuns(),
    db().contestant.findMany({ where: { kind: "llm", status: { not: "retired" } }, orderBy: { slug: "asc" }, select: { slug: true, displayName: true, providerModelId: true } }),
    db().category.findMany({ distinct: ["setName"], select: { setName: true }, orderBy: { setName: "asc" } }),
  ]);
  return {
    groups,
    runs,
    judges: judges.map((j) => ({ slug: j.slug, name: j.displayName, model: j.providerModelId })),
    categorySets: sets.map((s) => s.setName),
    benchmarkCheckout: Boolean(getEnv().BENCHMARK_CHECKOUT),
  };
}
