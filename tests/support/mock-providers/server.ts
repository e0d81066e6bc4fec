/**
 * What the three mock protocols share: an HTTP server on 127.0.0.1 (random port) that records
 * every call, and the behaviour chosen by the model id, so a test or an end-to-end run picks a
 * scenario just by naming a model. Protocol modules only translate to and from their wire format.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  FEEDBACK,
  FLAKY_ANSWER,
  GOOD_ANSWER,
  JUDGE_C_ANSWER,
  JUDGE_FIRST_ANSWER,
  JUDGE_GARBAGE_ANSWER,
  JUDGE_HUGE_ANSWER,
  markedJudgeAnswer,
  PROSE_ANSWER,
} from "./answers";

export interface MockOptions {
  /** Calls of mock-429 / mock-500 / mock-overloaded that fail before they succeed (default 2). */
  failures?: number;
  /** How long mock-slow waits before answering, ms (default 5000). */
  slowMs?: number;
  /** Reject calls without a key (default true; false for openai-compatible). */
  requireKey?: boolean;
}

export interface RecordedCall {
  method: string;
  /** Path and query, with any ?key= value masked. */
  path: string;
  model: string;
  /** Request headers; key-carrying ones masked. */
  headers: Record<string, string>;
  body: any;
  /** What the caller's key looked like: valid, "bad", or absent. */
  auth: "ok" | "bad" | "missing";
  /** Status we answered with; 0 while pending, or when the client hung up first (mock-slow). */
  status: number;
}

/** A parsed request in protocol-neutral terms. */
export interface MockRequest {
  model: string;
  system: string;
  userText: string;
  images: number;
  /** Thinking asked for (reasoning_effort, thinking, thinkingBudget > 0). */
  reasoning: boolean;
  key: string | null;
  body: any;
}

export type Outcome =
  | { kind: "answer"; text: string; usage: MockUsage; delayMs: number }
  | { kind: "rate_limited" | "server_error" | "overloaded" | "quota" | "bad_key" | "malformed" | "unknown_model" };

export interface MockUsage {
  /** Prompt tokens including the cached part (as OpenAI and Gemini report them). */
  prompt: number;
  cached: number;
  output: number;
  thinking: number;
  /** First sight of this system prompt: Anthropic reports the cached part as a cache write. */
  firstSeen: boolean;
}

/** Thinking tokens a mock model "spends" whenever reasoning is asked for. */
export const MOCK_THINKING_TOKENS = 300;
/** Image tokens, Gemini's fixed figure for an image up to 384 px. */
const IMAGE_TOKENS = 258;

export interface Protocol {
  /** Reads the protocol's request; null when the path is not one it serves. */
  parse(req: IncomingMessage, url: URL, body: any): MockRequest | null;
  /** Writes the outcome in the protocol's wire format and returns the status sent. */
  respond(res: ServerResponse, outcome: Outcome, req: MockRequest): Promise<number> | number;
}

export interface MockServer {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

const KEY_HEADERS = new Set(["authorization", "x-api-key", "x-goog-api-key"]);

function mockUsage(r: MockRequest, text: string, seen: Set<string>): MockUsage {
  const systemTokens = Math.ceil(r.system.length / 4);
  const firstSeen = !seen.has(r.system);
  seen.add(r.system);
  return {
    prompt: systemTokens + Math.ceil(r.userText.length / 4) + r.images * IMAGE_TOKENS,
    // Providers cache in blocks; 64 tokens of the system prompt per block here.
    cached: Math.floor(systemTokens / 64) * 64,
    output: Math.ceil(text.length / 4),
    thinking: r.reasoning ? MOCK_THINKING_TOKENS : 0,
    firstSeen,
  };
}

export async function startServer(protocol: Protocol, opts: MockOptions, basePath = ""): Promise<MockServer> {
  const failures = opts.failures ?? 2;
  const requireKey = opts.requireKey ?? true;
  const calls: RecordedCall[] = [];
  const callsPerModel = new Map<string, number>();
  const seenSystems = new Set<string>();

  const decide = (r: MockRequest): Outcome => {
    if (r.key === "bad" || (requireKey && !r.key) || r.model === "mock-badkey") return { kind: "bad_key" };
    // Only calls that get past the key check count towards a model's scripted failures.
    const n = (callsPerModel.get(r.model) ?? 0) + 1;
    callsPerModel.set(r.model, n);
    const answer = (text: string, delayMs = 0): Outcome => ({ kind: "answer", text, usage: mockUsage(r, text, seenSystems), delayMs });
    switch (r.model) {
      case "mock-good":
        return answer(GOOD_ANSWER);
      case "mock-flaky-code":
        return answer(FEEDBACK.test(r.userText) ? GOOD_ANSWER : FLAKY_ANSWER);
      case "mock-prose":
        return answer(PROSE_ANSWER);
      case "mock-empty":
        return answer("");
      case "mock-429":
        return n <= failures ? { kind: "rate_limited" } : answer(GOOD_ANSWER);
      case "mock-500":
        return n <= failures ? { kind: "server_error" } : answer(GOOD_ANSWER);
      case "mock-overloaded":
        return n <= failures ? { kind: "overloaded" } : answer(GOOD_ANSWER);
      case "mock-quota":
        return { kind: "quota" };
      case "mock-malformed":
        return { kind: "malformed" };
      case "mock-slow":
        return answer(GOOD_ANSWER, opts.slowMs ?? 5000);
      // Judges (lib/judge): a verdict by a script marker, always the first side shown, and hostile answers.
      case "mock-judge-marked":
        return answer(markedJudgeAnswer(r.userText));
      case "mock-judge-first":
        return answer(JUDGE_FIRST_ANSWER);
      case "mock-judge-garbage":
        return answer(JUDGE_GARBAGE_ANSWER);
      case "mock-judge-c":
        return answer(JUDGE_C_ANSWER);
      case "mock-judge-huge":
        return answer(JUDGE_HUGE_ANSWER);
      default:
        return { kind: "unknown_model" };
    }
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: any = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      /* answered below as a bad request */
    }
    const parsed = body && req.method === "POST" ? protocol.parse(req, url, body) : null;
    if (!parsed) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `No mock route for ${req.method} ${url.pathname}` } }));
      return;
    }
    const outcome = decide(parsed);
    const call: RecordedCall = {
      method: req.method ?? "",
      path: url.pathname + url.search.replace(/([?&]key=)[^&]*/, "$1[redacted]"),
      model: parsed.model,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, KEY_HEADERS.has(k) ? "[redacted]" : String(v)])),
      body,
      auth: parsed.key === null ? "missing" : parsed.key === "bad" ? "bad" : "ok",
      status: 0,
    };
    calls.push(call);
    if (outcome.kind === "answer" && outcome.delayMs > 0) {
      await new Promise((r) => setTimeout(r, outcome.delayMs));
      if (res.destroyed) return; // the client gave up (its timeout), as intended
    }
    call.status = await protocol.respond(res, outcome, parsed);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  return status;
}

/** A 200 whose body is cut off mid-JSON, like a proxy dropping the connection. */
export function sendTruncatedJson(res: ServerResponse): number {
  res.writeHead(200, { "content-type": "application/json" }).end('{"id": "mock", "choices": [');
  return 200;
}
