/**
 * Runs the web server and workers as child processes: output to per-process log files (warnings
 * and errors also to the console), restart on crash with backoff, and a clean stop of every
 * process group on shutdown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface Managed {
  spec: ProcessSpec;
  child: ChildProcess | null;
  restarts: number;
  log: WriteStream;
}

const MAX_RESTARTS = 5;

export class Supervisor {
  private procs: Managed[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly say: (line: string) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  start(spec: ProcessSpec): void {
    const m: Managed = { spec, child: null, restarts: 0, log: createWriteStream(path.join(this.logDir, `${spec.name}.log`), { flags: "a" }) };
    this.procs.push(m);
    this.launch(m);
  }

  private launch(m: Managed): void {
    const child = spawn(m.spec.command, m.spec.args, { cwd: m.spec.cwd, env: m.spec.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    m.child = child;
    child.stdout?.pipe(m.log, { end: false });
    child.stderr?.on("data", (d: Buffer) => {
      m.log.write(d);
      for (const line of d.toString().split("\n")) if (line.trim()) this.say(`[${m.spec.name}] ${line}`);
    });
    child.on("exit", (code, signal) => {
      m.child = null;
      if (this.stopping) return;
      if (m.restarts >= MAX_RESTARTS) {
        this.say(`[${m.spec.name}] exited (${signal ?? code}) ${MAX_RESTARTS} times; giving up. See ${path.join(this.logDir, m.spec.name + ".log")}`);
        return;
      }
      m.restarts += 1;
      const delay = 1000 * 2 ** (m.restarts - 1);
      this.say(`[${m.spec.name}] exited (${signal ?? code}); restarting in ${delay / 1000}s`);
      setTimeout(() => !this.stopping && this.launch(m), delay);
    });
  }

  async stopAll(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.procs.map(
        (m) =>
          new Promise<void>((resolve) => {
            const child = m.child;
            if (!child || child.pid === undefined) return resolve();
            const kill = (sig: NodeJS.Signals) => {
              try {
                process.kill(-child.pid!, sig);
              } catch {
                /* already gone */
              }
            };
            const timer = setTimeout(() => kill("SIGKILL"), timeoutMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            kill("SIGTERM");
          }),
      ),
    );
    for (const m of this.procs) m.log.end();
  }
}
