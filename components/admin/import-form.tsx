"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { BUTTON, INPUT, Panel } from "./panel";
import { useAdminAction } from "./use-admin-action";

interface ImportResult {
  sweepId: string;
  imported: number;
  unchanged?: number;
  skipped: { path: string; reason: string }[];
}

export function ImportForm({ models }: { models: { slug: string; displayName: string }[] }) {
  const { run, pending, error } = useAdminAction();
  const [root, setRoot] = useState("");
  const [slug, setSlug] = useState(models[0]?.slug ?? "");
  const [isNew, setIsNew] = useState(models.length === 0);
  const [modelDir, setModelDir] = useState("");
  const [result, setResult] = useState<ImportResult | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    const body = { root, contestantSlug: slug, create: isNew, ...(modelDir.trim() ? { modelDir: modelDir.trim() } : {}) };
    setResult(await run<ImportResult>("import", "/api/admin/import", body, "POST", false));
  }
  const skipped = result?.skipped ?? [];

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="flex flex-col gap-3 rounded-xl border border-arena-border bg-arena-panel p-4" data-testid="import-form">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-arena-muted">Folder on the server (results tree: one folder per category, with log.json and the script)</span>
          <input required value={root} onChange={(e) => setRoot(e.target.value)} className={`${INPUT} font-mono`} placeholder="/data/results/gpt-5" data-testid="import-root" />
        </label>
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" checked={!isNew} onChange={() => setIsNew(false)} disabled={models.length === 0} /> Existing model
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" checked={isNew} onChange={() => setIsNew(true)} data-testid="import-new" /> New model
          </label>
        </div>
        {isNew ? (
          <div className="flex flex-col gap-1">
            <input required value={slug} onChange={(e) => setSlug(e.target.value)} className={INPUT} placeholder="slug for the new model" data-testid="import-slug" />
            <span className="text-xs text-arena-muted">Name, provider and model id are taken from the first log.json; edit them under Models afterwards.</span>
          </div>
        ) : (
          <select value={slug} onChange={(e) => setSlug(e.target.value)} className={INPUT} data-testid="import-model">
            {models.map((m) => (
              <option key={m.slug} value={m.slug}>
                {m.displayName} ({m.slug})
              </option>
            ))}
          </select>
        )}
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-arena-muted">Model folder in the tree (optional; default: the slug)</span>
          <input value={modelDir} onChange={(e) => setModelDir(e.target.value)} className={`${INPUT} font-mono`} />
        </label>
        <div>
          <button type="submit" disabled={pending !== null} className={BUTTON} data-testid="import-submit">
            {pending ? "Importing…" : "Import"}
          </button>
        </div>
        {error && (
          <p role="alert" className="text-sm text-arena-danger" data-testid="import-error">
            {error}
          </p>
        )}
      </form>
      {result && (
        <Panel title="Imported" testId="import-result">
          <p className="text-sm">
            {result.imported} imported{result.unchanged ? `, ${result.unchanged} already there` : ""}, {skipped.length} skipped.{" "}
            <Link href={`/admin/sweeps/${result.sweepId}`} className="text-arena-accent hover:underline" data-testid="import-sweep-link">
              Watch the sweep
            </Link>
          </p>
          {skipped.length > 0 && (
            <ul className="flex flex-col gap-0.5 text-xs text-arena-muted">
              {skipped.map((s, i) => (
                <li key={i}>
                  <span className="font-mono">{s.path}</span>: {s.reason}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      )}
    </div>
  );
}
