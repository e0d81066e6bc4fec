"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Sends an admin action as JSON, keeps the API's readable error, refreshes the server page on success. */
export function useAdminAction() {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run<T = unknown>(key: string, url: string, body?: unknown, method = "POST", refresh = true): Promise<T | null> {
    setPending(key);
    setError(null);
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
      if (!res.ok) {
        setError(data?.error?.message ?? `The action failed (${res.status}).`);
        return null;
      }
      if (refresh) router.refresh();
      return data;
    } catch {
      setError("The server did not answer. Please try again.");
      return null;
    } finally {
      setPending(null);
    }
  }
  return { run, pending, error, setError };
}
