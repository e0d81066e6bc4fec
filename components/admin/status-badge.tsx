import { SWEEP_BADGE } from "./status-colors";

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`rounded-full border px-2 py-px text-xs ${SWEEP_BADGE[status] ?? "border-arena-border text-arena-muted"}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}
