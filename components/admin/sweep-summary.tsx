import Link from "next/link";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";
import { formatUsd, formatUtc } from "@/components/ui/format";

export interface SweepSummaryData {
  id: string;
  name: string;
  status: string;
  done: number;
  total: number;
  spentUsd: number | null;
  estimatedCostUsd: number | null;
  byStatus: Record<string, number>;
  createdAt?: string;
  createdBy?: string | null;
}

/** A sweep in a list: name, status, progress and spend; `detailed` (the sweeps page) adds who started it and when. */
export function SweepSummary({ s, detailed = false }: { s: SweepSummaryData; detailed?: boolean }) {
  return (
    <>
      <div className={`flex items-center gap-2 text-sm ${detailed ? "flex-wrap" : ""}`}>
        <Link prefetch={false} href={`/admin/sweeps/${s.id}`} className="font-medium hover:underline">
          {s.name}
        </Link>
        <StatusBadge status={s.status} />
        {detailed && (
          <span className="text-xs text-arena-muted">
            {formatUtc(s.createdAt ?? null)}
            {s.createdBy ? ` by ${s.createdBy}` : ""}
          </span>
        )}
        <span className="ml-auto text-xs text-arena-muted tabular">
          {detailed ? (
            <>
              {s.done}/{s.total} done · spent {formatUsd(s.spentUsd)}
              {s.estimatedCostUsd !== null ? ` of ${formatUsd(s.estimatedCostUsd)} estimated` : ""}
            </>
          ) : (
            <>
              {s.done}/{s.total} · {formatUsd(s.spentUsd)} of {formatUsd(s.estimatedCostUsd)}
            </>
          )}
        </span>
      </div>
      <ProgressBar byStatus={s.byStatus} total={s.total} />
    </>
  );
}
