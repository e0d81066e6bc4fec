"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent, type ReactNode } from "react";
import { signinErrorMessage } from "@/lib/auth/signin-errors";

interface Props {
  providers: { id: string; name: string }[];
  callbackUrl: string;
  error: string | null;
}

const FIELD = "w-full rounded-lg border border-arena-border bg-arena-panel px-3 py-2 text-sm outline-none focus:border-arena-accent";

export function SignInForm({ providers, callbackUrl, error }: Props) {
  const [mode, setMode] = useState<"signin" | "register">("signin");
  const [message, setMessage] = useState<string | null>(error ? "Sign-in failed. Please try again." : null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setMessage(null);
    try {
      if (mode === "register") {
        const res = await fetch("/api/auth/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password, name: String(form.get("name") ?? "") || undefined }),
        });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          setMessage(body?.error?.message ?? "Could not create the account.");
          return;
        }
      }
      const res = await signIn("credentials", { email, password, redirect: false });
      if (!res || res.error) {
        setMessage(signinErrorMessage(res?.error ?? ""));
        return;
      }
      window.location.assign(callbackUrl);
    } finally {
      setBusy(false);
    }
  }

  // A stale error must not sit under the browser's own validation bubble once the person edits.
  const clear = () => message && setMessage(null);

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="signin-heading">
          {mode === "register" ? "Create an account" : "Sign in"}
        </h1>
        <p className="mt-1 text-sm text-arena-muted">
          Voting works without an account. Signed-in votes can be shown on their own leaderboard, and staff sign in here.
        </p>
      </div>
      {providers.map((p) => (
        <button
          key={p.id}
          type="button"
          onClick={() => signIn(p.id, { callbackUrl })}
          className="rounded-lg border border-arena-border bg-arena-raised px-3 py-2 text-sm font-medium hover:border-arena-muted"
          data-testid={`signin-${p.id}`}
        >
          Continue with {p.name}
        </button>
      ))}
      <form onSubmit={submit} className="flex flex-col gap-3" data-testid="signin-form">
        {mode === "register" && (
          <Field label="Name" hint="optional, at most 80 characters" htmlFor="signin-name">
            <input id="signin-name" name="name" maxLength={80} className={FIELD} autoComplete="name" data-testid="signin-name" onInput={clear} />
          </Field>
        )}
        <Field label="Email" htmlFor="signin-email">
          <input
            id="signin-email"
            name="email"
            type="email"
            required
            maxLength={254}
            className={FIELD}
            autoComplete="email"
            data-testid="signin-email"
            onInput={clear}
            onInvalid={clear}
          />
        </Field>
        <Field label="Password" hint={mode === "register" ? "at least 8 characters" : undefined} htmlFor="signin-password">
          <input
            id="signin-password"
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={200}
            className={FIELD}
            autoComplete={mode === "register" ? "new-password" : "current-password"}
            data-testid="signin-password"
            onInput={clear}
            onInvalid={clear}
          />
        </Field>
        {message && (
          <p role="alert" className="text-sm text-arena-danger" data-testid="signin-error">
            {message}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="rounded-lg bg-arena-accent px-3 py-2 text-sm font-semibold text-arena-bg disabled:opacity-60"
          data-testid="signin-submit"
        >
          {mode === "register" ? "Create account" : "Sign in"}
        </button>
      </form>
      <button
        type="button"
        onClick={() => {
          setMode(mode === "register" ? "signin" : "register");
          setMessage(null);
        }}
        className="text-sm text-arena-muted hover:text-arena-text"
        data-testid="signin-toggle"
      >
        {mode === "register" ? "Have an account? Sign in" : "New here? Create an account"}
      </button>
    </div>
  );
}

function Field({ label, hint, htmlFor, children }: { label: string; hint?: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium">
        {label}
        {hint && <span className="ml-1.5 text-xs font-normal text-arena-muted">({hint})</span>}
      </label>
      {children}
    </div>
  );
}
