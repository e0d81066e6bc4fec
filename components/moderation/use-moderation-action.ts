"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** POSTs a moderation decision, then re-renders the server page; keeps the error readable. */
export function useModerationAction() {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(key: string, url: string, action: string) {
    setPending(key);
    setError(null);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? `The action failed (${res.status}).`);
        return;
      }
      router.refresh();
    } finally {
      setPending(null);
    }
  }
  return { run, pending, error };
}
