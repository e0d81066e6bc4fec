"use client";

import { BUTTON, BUTTON_QUIET } from "./panel";
import { useAdminAction } from "./use-admin-action";

const URL = "/api/admin/categories/references";

/** "Prepare missing or stale" for every category, or "prepare again" for one. */
export function ReferenceActions({ categoryId }: { categoryId?: string }) {
  const { run, pending, error } = useAdminAction();
  return (
    <div className="flex flex-col items-end gap-1">
      {categoryId ? (
        <button
          type="button"
          className={BUTTON_QUIET}
          disabled={pending !== null}
          onClick={() => run("one", URL, { categoryIds: [categoryId], force: true })}
          data-testid="reference-prepare-one"
        >
          Prepare again
        </button>
      ) : (
        <button type="button" className={BUTTON} disabled={pending !== null} onClick={() => run("all", URL, {})} data-testid="reference-prepare-all">
          Prepare missing and stale
        </button>
      )}
      {error && (
        <p role="alert" className="text-xs text-arena-danger">
          {error}
        </p>
      )}
    </div>
  );
}
