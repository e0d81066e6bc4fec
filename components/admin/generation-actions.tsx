"use client";

import { BUTTON, BUTTON_DANGER, BUTTON_QUIET } from "./panel";
import { useAdminAction } from "./use-admin-action";

export function GenerationActions({ id, status, reviewed }: { id: string; status: string; reviewed: boolean }) {
  const { run, pending, error } = useAdminAction();
  const post = (action: string) => run(action, `/api/admin/generations/${id}`, { action });
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {(status === "ready" || status === "failed") && (
          <button type="button" className={BUTTON_DANGER} disabled={pending !== null} onClick={() => post("hide")} data-testid="generation-hide">
            Hide from the arena
          </button>
        )}
        {status === "hidden" && (
          <button type="button" className={BUTTON_QUIET} disabled={pending !== null} onClick={() => post("unhide")} data-testid="generation-unhide">
            Unhide
          </button>
        )}
        {status === "ready" && (
          <button type="button" className={BUTTON} disabled={pending !== null} onClick={() => post("approve")} data-testid="generation-approve">
            {reviewed ? "Approve again" : "Approve"}
          </button>
        )}
        {status === "failed" && (
          <button type="button" className={BUTTON} disabled={pending !== null} onClick={() => post("retry")} data-testid="generation-retry">
            Retry from the failed stage
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="text-sm text-arena-danger">
          {error}
        </p>
      )}
    </div>
  );
}
