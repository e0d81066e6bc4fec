/**
 * The host end of `run_blender` (sandbox/run-blender.mjs): a unix socket bound into the agent's
 * sandbox. A request is one JSON line with the script's text; the reply is one JSON line with the
 * status, error text, mesh stats and the four views, from our own runner (preview profile), so the
 * agent never gets a Blender of its own. The host never reads or writes the agent's workspace
 * while the agent lives (it could swap any path for a symlink): everything goes over the socket.
 */
import net from "node:net";
import { z } from "zod";
import type { RenderProfile, RunLimits, Runner } from "@/blender-runner/client/types";

const MAX_SCRIPT_CHARS = 1 << 20;
const MAX_REQUEST_BYTES = 4 * MAX_SCRIPT_CHARS + 1024;
const MAX_ERROR_CHARS = 20_000;

const ZRequest = z.object({ name: z.string().max(255), code: z.string().max(MAX_SCRIPT_CHARS) });

export interface BridgeRun {
  name: string;
  status: string;
  seconds: number;
}

/** A counting semaphore: at most `size` holders at a time, the others wait in order. */
export class Gate {
  private held = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.held++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    }
  }
}

export interface BlenderBridge {
  runs: BridgeRun[];
  /** Stops accepting and waits for a run in flight (its Blender has its own limits). */
  close(): Promise<void>;
}

export async function startBlenderBridge(opts: {
  socketPath: string;
  runner: Runner;
  limits: RunLimits;
  profile: RenderProfile;
  jobPrefix: string;
  maxRuns: number;
  gate?: Gate;
}): Promise<BlenderBridge> {
  const runs: BridgeRun[] = [];
  let accepted = 0;
  // One Blender at a time per agent: a second request waits for the first.
  let chain: Promise<unknown> = Promise.resolve();
  const sockets = new Set<net.Socket>();

  async function execute(name: string, code: string): Promise<Record<string, unknown>> {
    if (accepted >= opts.maxRuns) return { status: "REFUSED", error: `run_blender may be called ${opts.maxRuns} times per task; this was one more.` };
    const n = ++accepted;
    const t0 = performance.now();
    const job = () => opts.runner.run({ id: `${opts.jobPrefix}-b${n}`, code, profile: opts.profile }, opts.limits);
    const result = await (opts.gate ? opts.gate.run(job) : job());
    try {
      const seconds = Math.round((performance.now() - t0) / 10) / 100;
      runs.push({ name, status: result.status, seconds });
      const error = result.errorText ?? null;
      return {
        status: result.status,
        error: error && error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}\n[... cut at ${MAX_ERROR_CHARS} characters]` : error,
        stats: result.stats,
        views: result.files.renders.map((v) => ({ name: v.name, png: Buffer.from(v.png).toString("base64") })),
        seconds,
      };
    } finally {
      await result.cleanup();
    }
  }

  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => sock.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let handled = false;
    sock.on("data", (c: Buffer) => {
      if (handled) return;
      const nl = c.indexOf(0x0a);
      chunks.push(nl >= 0 ? c.subarray(0, nl) : c);
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        handled = true;
        sock.end(JSON.stringify({ status: "REFUSED", error: "request too large" }) + "\n");
        return;
      }
      if (nl < 0) return;
      handled = true;
      let req: z.infer<typeof ZRequest>;
      try {
        req = ZRequest.parse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        sock.end(JSON.stringify({ status: "REFUSED", error: "bad request" }) + "\n");
        return;
      }
      const job = chain.then(() => execute(req.name, req.code));
      chain = job.catch(() => undefined);
      job.then(
        (reply) => sock.end(JSON.stringify(reply) + "\n"),
        (err: unknown) => sock.end(JSON.stringify({ status: "ERR_RUNNER", error: `The arena could not run Blender: ${err instanceof Error ? err.message : String(err)}` }) + "\n"),
      );
    });
  });
  // Each connection may buffer a request of up to 4 MiB: a few at a time.
  server.maxConnections = 4;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.socketPath, resolve));

  return {
    runs,
    async close() {
      server.close();
      for (const s of sockets) s.destroy();
      await chain;
    },
  };
}
