"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

const FIELD = "w-full rounded-lg border border-arena-border bg-arena-panel px-3 py-2 text-sm outline-none focus:border-arena-accent";

export function VerifyEmailForm({ token }: { token: string }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" } | { kind: "done"; email: string; passwordChanged: boolean } | { kind: "error"; message: string }>({ kind: "idle" });

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setState({ kind: "busy" });
    try {
      const res = await fetch("/api/auth/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password }) });
      const body = (await res.json().catch(() => null)) as { email?: string; passwordChanged?: boolean; error?: { message?: string } } | null;
      if (!res.ok) setState({ kind: "error", message: body?.error?.message ?? `Confirmation failed (${res.status}).` });
      else setState({ kind: "done", email: body?.email ?? "", passwordChanged: !!body?.passwordChanged });
    } catch {
      setState({ kind: "error", message: "The server did not answer. Please try again." });
    }
  }

  if (state.kind === "done") {
    return (
      <p className="text-sm" data-testid="verify-done" data-password-changed={state.passwordChanged}>
        {state.email} is confirmed.{" "}
        {state.passwordChanged ? "Your new password is set and every other session of the account has ended. " : ""}
        <Link href={state.passwordChanged ? "/signin" : "/"} className="font-medium text-arena-accent hover:underline">
          {state.passwordChanged ? "Sign in" : "Back to the arena"}
        </Link>
      </p>
    );
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" data-testid="verify-form">
      <input name="password" type="password" required minLength={8} maxLength={200} placeholder="Password (8+ characters)" className={FIELD} autoComplete="current-password" data-testid="verify-password" />
      {state.kind === "error" && (
        <p role="alert" className="text-sm text-arena-danger" data-testid="verify-error">
          {state.message}
        </p>
      )}
      <button type="submit" disabled={state.kind === "busy"} className="rounded-lg bg-arena-accent px-3 py-2 text-sm font-semibold text-arena-bg disabled:opacity-60" data-testid="verify-submit">
        Confirm
      </button>
    </form>
  );
}
