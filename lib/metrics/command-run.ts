/**
 * Runs one external metric command (docs/metrics.md "Command plugins"): argv without a shell, a
 * clean environment, a wall-clock timeout that kills the whole process group, and (by default)
 * bubblewrap around it so that the host is read-only and only the command's output folder is
 * writable. Whatever the command leaves is data (house rule 14): the result file is read with
 * readUntrusted (no symlinks, regular file, size cap) and parsed by the caller's strict schema.
 *
 * The command is configured by the operator, not uploaded by a user; the sandbox is there so that a
 * buggy or compromised metric script cannot corrupt the arena's data or scores.
 */
import { spawn } from "node:child_process";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { readUntrusted, UntrustedFileError } from "@/blender-runner/client/untrusted-file";

/** The result file's cap: scores and a little detail, never bulk data. */
export const RESULT_MAX_BYTES = 256 * 1024;
/** Kept of the command's stderr for a failure's reason and the admin's details. */
const STDERR_TAIL = 2_000;
const POLL_MS = 200;

export interface CommandSpec {
  argv: string[];
  env: Record<string, string>;
  timeoutMs: number;
  sandbox: "bwrap" | "none";
  network: boolean;
  gpu: boolean;
  /** Read-only inside the sandbox (the job file and the inputs copied for the command). */
  inputDir: string;
  /** The only writable host folder; the result file lives here. */
  outputDir: string;
  resultFile: string;
}

export type CommandRun =
  | { ok: true; result: Buffer; stderrTail: string; wallMs: number }
  | { ok: false; reason: string; stderrTail: string; wallMs: number };

/** bubblewrap's argv for a spec (pure, for tests and for the docs' example). */
export function bwrapArgs(spec: CommandSpec): string[] {
  return [
    "--ro-bind", "/", "/",
    ...(spec.gpu ? ["--dev-bind", "/dev", "/dev"] : ["--dev", "/dev"]),
    "--proc", "/proc",
    // A private /tmp (HOME too): caches a command writes vanish with it.
    "--tmpfs", "/tmp",
    "--ro-bind", spec.inputDir, spec.inputDir,
    "--bind", spec.outputDir, spec.outputDir,
    "--unshare-pid", "--unshare-ipc", "--unshare-uts",
    ...(spec.network ? [] : ["--unshare-net"]),
    "--die-with-parent", "--new-session",
    "--chdir", spec.outputDir,
    "--",
    ...spec.argv,
  ];
}

/** The line that names the error (Python's last line, Node's "Error: ..." above its stack), else the last. */
function errorLine(text: string): string {
  const lines = text.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const named = lines.findLast((l) => /error/i.test(l) && !l.startsWith("at "));
  return (named ?? lines.at(-1) ?? "").slice(0, 300);
}

export async function runMetricCommand(spec: CommandSpec, bwrap = "/usr/bin/bwrap"): Promise<CommandRun> {
  const started = Date.now();
  // Nothing of the arena's own environment (database URL, secrets) reaches the command.
  const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: spec.sandbox === "bwrap" ? "/tmp" : spec.outputDir, LANG: "C.UTF-8", ...spec.env } as unknown as NodeJS.ProcessEnv;
  const [file, args] = spec.sandbox === "bwrap" ? [bwrap, bwrapArgs(spec)] : [spec.argv[0]!, spec.argv.slice(1)];
  let stderr = "";
  let killedFor: string | null = null;

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: string }>((resolve) => {
    const child = spawn(file, args, { cwd: spec.outputDir, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
    const kill = (why: string) => {
      killedFor ??= why;
      try {
        // The whole group: a command that forks workers must not outlive its timeout.
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${Math.round(spec.timeoutMs / 1000)} s`), spec.timeoutMs);
    // A result file past the cap is refused anyway; stopping early spares the disk.
    const poll = setInterval(() => {
      lstat(spec.resultFile).then(
        (st) => {
          if (st.size > RESULT_MAX_BYTES) kill(`result file grew past ${RESULT_MAX_BYTES} bytes`);
        },
        () => undefined,
      );
    }, POLL_MS);
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code: null, signal: null, spawnError: (err as NodeJS.ErrnoException).code ?? "spawn failed" });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal });
    });
  });
  const wallMs = Date.now() - started;
  const fail = (reason: string): CommandRun => ({ ok: false, reason, stderrTail: stderr, wallMs });

  if (exit.spawnError) return fail(`command could not start (${exit.spawnError})`);
  if (killedFor) return fail(`command ${killedFor}`);
  if (exit.code !== 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const line = errorLine(stderr);
    return fail(`command ${how}${line ? `: ${line}` : ""}`);
  }
  let bytes: Buffer | null;
  try {
    bytes = await readUntrusted(spec.outputDir, path.relative(spec.outputDir, spec.resultFile), RESULT_MAX_BYTES);
  } catch (err) {
    if (err instanceof UntrustedFileError) return fail(`result file refused: ${err.message}`);
    throw err;
  }
  if (bytes === null) return fail("command wrote no result file");
  return { ok: true, result: bytes, stderrTail: stderr, wallMs };
}
