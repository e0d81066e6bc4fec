"use client";

import { BUTTON_DANGER } from "../panel";
import { useAdminAction } from "../use-admin-action";

/** Cancels a running judge run: battles not yet sent are skipped; calls in flight finish. */
export function CancelJudgeRun({ runId }: { runId: string }) {
  const { run, pending, error } = useAdminAction();
  return (
    <span className="flex items-center gap-2">
      <button type="button" className={BUTTON_DANGER} disabled={pending !== null} onClick={() => run("cancel", `/api/admin/judge/runs/${runId}`, { action: "cancel" })} data-testid="judge-run-cancel">
        {pending ? "Cancelling…" : "Cancel"}
      </button>
      {error && (
        <span className="text-xs text-arena-danger" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
