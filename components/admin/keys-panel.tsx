"use client";

import { useState, type FormEvent } from "react";
import type { KeyInfo } from "@/lib/providers/keys-admin";
import { BUTTON, BUTTON_QUIET, INPUT, Panel } from "./panel";
import { useAdminAction } from "./use-admin-action";

/** Stored provider keys: names and last four characters only; a value goes in and never comes back. */
export function KeysPanel({ keys }: { keys: KeyInfo[] }) {
  const { run, pending, error } = useAdminAction();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await run("set", "/api/admin/keys", { name, value })) {
      setName("");
      setValue("");
    }
  }
  return (
    <Panel title="Provider keys" testId="keys-panel">
      <p className="text-xs text-arena-muted">
        Stored encrypted in the database. Names: <code>openai</code>, <code>anthropic</code>, <code>gemini</code>, <code>openai-compatible</code>, or any name a
        model&apos;s settings refer to. Environment variables (OPENAI_API_KEY …) are used when no key is stored.
      </p>
      {keys.length === 0 ? (
        <p className="text-sm text-arena-muted">No keys stored.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {keys.map((k) => (
            <li key={k.name} className="flex items-center gap-3" data-testid="key-row" data-name={k.name}>
              <span className="font-mono">{k.name}</span>
              <span className="text-arena-muted">…{k.last4}</span>
              <button type="button" disabled={pending !== null} className={`${BUTTON_QUIET} ml-auto py-0.5 text-xs`} onClick={() => run(`del-${k.name}`, `/api/admin/keys/${encodeURIComponent(k.name)}`, undefined, "DELETE")}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="name" className={`${INPUT} w-40`} data-testid="key-name" />
        <input required type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} placeholder="secret key" className={`${INPUT} min-w-48 flex-1`} data-testid="key-value" />
        <button type="submit" disabled={pending !== null} className={BUTTON} data-testid="key-save">
          Save key
        </button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-arena-danger">
          {error}
        </p>
      )}
    </Panel>
  );
}
