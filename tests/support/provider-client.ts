/**
 * A provider client for tests: pointed at a mock server, with the test key, no shared limiter
 * (each client gets its own, unlimited) and retry delays in milliseconds instead of seconds.
 */
import { providerClient, type ProviderClientOptions } from "@/lib/providers";
import { memoryRateLimiter } from "@/lib/providers/call-budget";
import type { ChatRequest, ModelSettings, ProviderClient, ProviderKind } from "@/lib/providers/types";

export const SYSTEM = "You write Blender 5.0 Python scripts. ".repeat(25).trim();
export const USER = "A mug: a cylindrical body with a round handle.";
/** Four 1x1 PNGs stand in for the reference views of Image -> 3D. */
export const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

export function testClient(kind: ProviderKind, baseUrl: string, opts: ProviderClientOptions = {}): ProviderClient {
  return providerClient(kind, {
    baseUrl,
    apiKey: "test-key",
    limiter: memoryRateLimiter(),
    limits: { rpm: 0, tpm: 0 },
    ...opts,
    retry: { baseMs: 5, capMs: 20, ...opts.retry },
  });
}

export function request(settings: ModelSettings = {}, images = 0): ChatRequest {
  return {
    system: SYSTEM,
    user: { text: USER, images: Array.from({ length: images }, () => ({ mediaType: "image/png", data: PNG_1PX })) },
    settings,
  };
}

/** The usage the mocks report for SYSTEM + USER (tests/support/mock-providers/server.ts). */
export function expectedTokens(answer: string, images = 0): { prompt: number; cached: number; output: number } {
  const system = Math.ceil(SYSTEM.length / 4);
  return {
    prompt: system + Math.ceil(USER.length / 4) + images * 258,
    cached: Math.floor(system / 64) * 64,
    output: Math.ceil(answer.length / 4),
  };
}
