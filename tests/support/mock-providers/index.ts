/**
 * Local stand-ins for the paid model APIs (house rules §9: mock only what cannot run here, and at
 * the wire). Each speaks its API's real wire format on 127.0.0.1; the model id picks the scenario
 * (mock-good, mock-flaky-code, mock-429, ...; see docs/providers/README.md).
 */
import type { ProviderKind } from "@/lib/providers/types";
import { startMockAnthropic } from "./anthropic";
import { startMockGemini } from "./gemini";
import { startMockOpenAI } from "./openai";
import type { MockOptions, MockServer } from "./server";

export { GOOD_SCRIPT, FLAKY_SCRIPT, GOOD_ANSWER, FLAKY_ANSWER, PROSE_ANSWER } from "./answers";
export { MOCK_THINKING_TOKENS, type MockOptions, type MockServer, type RecordedCall } from "./server";

/** The key every mock accepts (any key but "bad" works). */
export const MOCK_API_KEY = "test-key";

/**
 * One mock server for a provider kind. "openai" and "openai-responses" get the same server (both
 * APIs live under /v1); "openai-compatible" is that server without a required key.
 */
export function startMockProvider(kind: ProviderKind, opts: MockOptions = {}): Promise<MockServer> {
  switch (kind) {
    case "openai":
    case "openai-responses":
      return startMockOpenAI(opts);
    case "openai-compatible":
      return startMockOpenAI({ requireKey: false, ...opts });
    case "anthropic":
      return startMockAnthropic(opts);
    case "gemini":
      return startMockGemini(opts);
  }
}

export interface AllMockProviders {
  openai: MockServer;
  anthropic: MockServer;
  gemini: MockServer;
  /** Its `url` goes in a contestant's settings.baseUrl. */
  compatible: MockServer;
  /** Environment that points the app at the mocks: base URLs and keys ("test-key"). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** All four at once, e.g. for an end-to-end run of the app: pass `env` to the launched process. */
export async function startAllMockProviders(opts: MockOptions = {}): Promise<AllMockProviders> {
  const [openai, anthropic, gemini, compatible] = await Promise.all([
    startMockProvider("openai", opts),
    startMockProvider("anthropic", opts),
    startMockProvider("gemini", opts),
    startMockProvider("openai-compatible", opts),
  ]);
  return {
    openai,
    anthropic,
    gemini,
    compatible,
    env: {
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_BASE_URL: gemini.url,
      OPENAI_API_KEY: MOCK_API_KEY,
      ANTHROPIC_API_KEY: MOCK_API_KEY,
      GEMINI_API_KEY: MOCK_API_KEY,
      OPENAI_COMPATIBLE_API_KEY: MOCK_API_KEY,
    },
    close: async () => {
      await Promise.all([openai, anthropic, gemini, compatible].map((s) => s.close()));
    },
  };
}
