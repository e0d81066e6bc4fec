/**
 * Environment of the provider layer: base URLs, default keys and rate limits. Parsed once with
 * zod like lib/env.ts (house rules §4), but kept here so that web, workers and unit tests can use
 * providers without the full application environment. Every variable is in .env.example.
 */
import { z } from "zod";
import type { ProviderKind } from "./types";

/** Accounts whose limits and keys are shared: the Responses API bills the OpenAI account. */
export type ProviderAccount = "openai" | "anthropic" | "gemini" | "openai-compatible";

export function accountOf(kind: ProviderKind): ProviderAccount {
  return kind === "openai-responses" ? "openai" : kind;
}

/** `FOO=` in a .env file means unset, not an empty URL. */
const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);
const url = (def: string) => z.preprocess(unsetIfEmpty, z.string().url().default(def));
const limit = (def: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(def));

const ZProviderEnv = z.object({
  OPENAI_BASE_URL: url("https://api.openai.com/v1"),
  ANTHROPIC_BASE_URL: url("https://api.anthropic.com"),
  GEMINI_BASE_URL: url("https://generativelanguage.googleapis.com"),
  // Defaults sit below the lowest paid tiers of the three vendors; 0 = unlimited. A local
  // vLLM/Ollama behind openai-compatible should not be throttled, so it defaults to unlimited.
  PROVIDER_RPM_OPENAI: limit(60),
  PROVIDER_TPM_OPENAI: limit(200_000),
  PROVIDER_RPM_ANTHROPIC: limit(50),
  PROVIDER_TPM_ANTHROPIC: limit(200_000),
  PROVIDER_RPM_GEMINI: limit(60),
  PROVIDER_TPM_GEMINI: limit(200_000),
  PROVIDER_RPM_OPENAI_COMPATIBLE: limit(0),
  PROVIDER_TPM_OPENAI_COMPATIBLE: limit(0),
  /** redis: one budget shared by every worker process; memory: per process (tests, scripts). */
  PROVIDER_RATE_LIMITER: z.preprocess(unsetIfEmpty, z.enum(["redis", "memory"]).default("redis")),
});

export type ProviderEnv = z.infer<typeof ZProviderEnv>;

let cached: ProviderEnv | null = null;

export function providerEnv(): ProviderEnv {
  if (cached) return cached;
  const parsed = ZProviderEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid provider environment:\n${lines.join("\n")}\nSee .env.example, section "Model providers".`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetProviderEnv(): void {
  cached = null;
}

export function defaultBaseUrl(kind: ProviderKind): string | null {
  const e = providerEnv();
  switch (accountOf(kind)) {
    case "openai":
      return e.OPENAI_BASE_URL;
    case "anthropic":
      return e.ANTHROPIC_BASE_URL;
    case "gemini":
      return e.GEMINI_BASE_URL;
    case "openai-compatible":
      return null; // every such endpoint is different: settings.baseUrl is required
  }
}

/** Keys are read when used (see envApiKey), not parsed here, so none is ever held in a cache. */
const KEY_VARS: Record<ProviderAccount, string> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  gemini: "GEMINI_API_KEY",
  "openai-compatible": "OPENAI_COMPATIBLE_API_KEY",
};

export function defaultKeyVar(kind: ProviderKind): string {
  return KEY_VARS[accountOf(kind)];
}

/**
 * A key from the environment. Only variables named `*_API_KEY` qualify, so a model's
 * `apiKeyName` can never send AUTH_SECRET or DATABASE_URL to a model endpoint.
 */
export function envApiKey(varName: string): string | null {
  if (!/^[A-Z][A-Z0-9_]*_API_KEY$/.test(varName)) return null;
  const v = process.env[varName]?.trim();
  return v ? v : null;
}

export interface Limits {
  rpm: number;
  tpm: number;
}

export function accountLimits(kind: ProviderKind): Limits {
  const e = providerEnv();
  switch (accountOf(kind)) {
    case "openai":
      return { rpm: e.PROVIDER_RPM_OPENAI, tpm: e.PROVIDER_TPM_OPENAI };
    case "anthropic":
      return { rpm: e.PROVIDER_RPM_ANTHROPIC, tpm: e.PROVIDER_TPM_ANTHROPIC };
    case "gemini":
      return { rpm: e.PROVIDER_RPM_GEMINI, tpm: e.PROVIDER_TPM_GEMINI };
    case "openai-compatible":
      return { rpm: e.PROVIDER_RPM_OPENAI_COMPATIBLE, tpm: e.PROVIDER_TPM_OPENAI_COMPATIBLE };
  }
}
