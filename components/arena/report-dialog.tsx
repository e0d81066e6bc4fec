"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { ArenaApiError, type ReportReason } from "./arena-api";

const REASONS: { value: ReportReason; label: string; hint: string }[] = [
  { value: "broken", label: "Broken", hint: "Does not display, or is a mangled mess" },
  { value: "offensive", label: "Offensive", hint: "Inappropriate or hateful content" },
  { value: "not_prompt", label: "Not the prompt", hint: "A different object than the one asked for" },
];
export const NOTE_MAX = 500;

type Status = { kind: "idle" } | { kind: "sending" } | { kind: "done" } | { kind: "error"; message: string };

interface Props {
  side: "a" | "b";
  onSubmit: (reason: ReportReason, note: string | undefined) => Promise<void>;
  onClose: (reported: boolean) => void;
}

/**
 * Flag one side for the moderators. A native modal <dialog>: it traps focus, closes on Esc, and
 * sits in the top layer, so it also shows over a viewer that is in full screen.
 */
export function ReportDialog({ side, onSubmit, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const titleId = useId();
  const noteId = useId();
  const letter = side.toUpperCase();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason || status.kind === "sending") return;
    setStatus({ kind: "sending" });
    try {
      await onSubmit(reason, note.trim() || undefined);
      setStatus({ kind: "done" });
    } catch (err) {
      setStatus({ kind: "error", message: err instanceof ArenaApiError ? err.message : "The report could not be sent." });
    }
  };

  const done = status.kind === "done";
  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="report-dialog"
      data-side={side}
      onCancel={(e) => {
        e.preventDefault();
        onClose(done);
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (e.target === e.currentTarget) onClose(done);
      }}
      className="m-auto w-[min(92vw,420px)] rounded-2xl border border-arena-border bg-arena-panel p-0 text-arena-text shadow-2xl backdrop:bg-black/70 backdrop:backdrop-blur-sm"
    >
      {done ? (
        <div className="flex flex-col items-center gap-3 px-6 py-8 text-center" data-testid="report-done" role="status">
          <span className="flex h-10 w-10 items-center justify-center rounded-full bg-arena-win/15 text-arena-win" aria-hidden="true">
            ✓
          </span>
          <h2 id={titleId} className="text-base font-semibold">
            Thanks, Model {letter} is reported
          </h2>
          <p className="text-sm text-arena-muted">A maintainer will take a look. You can still vote on this battle.</p>
          <button
            type="button"
            autoFocus
            onClick={() => onClose(true)}
            className="mt-1 rounded-lg bg-arena-accent px-4 py-2 text-sm font-semibold text-arena-bg hover:brightness-110"
          >
            Close
          </button>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4 p-5">
          <h2 id={titleId} className="text-base font-semibold">
            Report Model {letter}
          </h2>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-xs font-medium tracking-wide text-arena-muted uppercase">What is wrong?</legend>
            {REASONS.map((r, i) => (
              <label
                key={r.value}
                className={`flex cursor-pointer items-start gap-3 rounded-xl border px-3 py-2.5 transition-colors ${
                  reason === r.value ? "border-arena-accent bg-arena-accent/10" : "border-arena-border hover:border-arena-muted/60"
                }`}
              >
                <input
                  type="radio"
                  name={`report-reason-${side}`}
                  value={r.value}
                  checked={reason === r.value}
                  onChange={() => setReason(r.value)}
                  autoFocus={i === 0}
                  data-testid={`report-reason-${r.value}`}
                  className="mt-1 accent-arena-accent"
                />
                <span>
                  <span className="block text-sm font-medium">{r.label}</span>
                  <span className="block text-xs text-arena-muted">{r.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={noteId} className="text-xs font-medium tracking-wide text-arena-muted uppercase">
              Note <span className="tracking-normal normal-case">(optional)</span>
            </label>
            <textarea
              id={noteId}
              value={note}
              onChange={(e) => setNote(e.target.value.slice(0, NOTE_MAX))}
              maxLength={NOTE_MAX}
              rows={3}
              data-testid="report-note"
              placeholder="Anything the maintainers should know"
              className="resize-none rounded-lg border border-arena-border bg-arena-bg/60 px-3 py-2 text-sm placeholder:text-arena-muted/60 focus:border-arena-accent focus:outline-none"
            />
            <span className="self-end text-[11px] text-arena-muted tabular">
              {note.length}/{NOTE_MAX}
            </span>
          </div>
          {status.kind === "error" && (
            <p role="alert" data-testid="report-error" className="text-sm text-arena-danger">
              {status.message}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => onClose(false)}
              data-testid="report-cancel"
              className="rounded-lg px-4 py-2 text-sm text-arena-muted hover:bg-white/5 hover:text-arena-text"
            >
              Cancel
            </button>
            <button
              type="submit"
              disabled={!reason || status.kind === "sending"}
              data-testid="report-submit"
              className="rounded-lg bg-arena-danger/90 px-4 py-2 text-sm font-semibold text-arena-bg hover:bg-arena-danger disabled:cursor-not-allowed disabled:opacity-40"
            >
              {status.kind === "sending" ? "Sending…" : "Send report"}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
