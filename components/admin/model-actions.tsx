"use client";

import { useState } from "react";
import { BUTTON_QUIET } from "./panel";
import { useAdminAction } from "./use-admin-action";

interface TestResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
  message?: string;
}

/** Test connection and hide/unhide for one model. */
export function ModelActions({ id, status, llm }: { id: string; status: string; llm: boolean }) {
  const { run, pending, error } = useAdminAction();
  const [result, setResult] = useState<TestResult | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        {llm && (
          <button
            type="button"
            disabled={pending !== null}
            className={BUTTON_QUIET}
            data-testid="model-test"
            onClick={async () => {
              setResult(null);
              setResult(await run<TestResult>("test", `/api/admin/models/${id}`, { action: "test" }, "POST", false));
            }}
          >
            {pending === "test" ? "Testing…" : "Test connection"}
          </button>
        )}
        <button
          type="button"
          disabled={pending !== null}
          className={BUTTON_QUIET}
          data-testid={status === "hidden" ? "model-unhide" : "model-hide"}
          onClick={() => run("status", `/api/admin/models/${id}`, { action: status === "hidden" ? "unhide" : "hide" })}
        >
          {status === "hidden" ? "Unhide" : "Hide"}
        </button>
      </div>
      {result && (
        <p className={`text-sm ${result.ok ? "text-arena-win" : "text-arena-danger"}`} data-testid="model-test-result" data-ok={String(result.ok)}>
          {result.ok ? `Connection OK in ${result.latencyMs ?? "?"} ms` : `Failed: ${result.error ?? result.message ?? "unknown error"}`}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-arena-danger">
          {error}
        </p>
      )}
    </div>
  );
}
