/**
 * Provider accounts, default base URLs, key variables and limits, from the providers' section of
 * the environment (lib/env.ts providerEnv).
 */
import { providerEnv } from "@/lib/env";
import type { ProviderKind } from "./types";

/** Accounts whose limits and keys are shared: the Responses API bills the OpenAI account. */
export type ProviderAccount = "openai" | "anthropic" | "gemini" | "openai-compatible";

export function accountOf(kind: ProviderKind): ProviderAccount {
  return kind === "openai-responses" ? "openai" : kind;
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
