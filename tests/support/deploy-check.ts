/**
 * scripts/deploy-check (Go) built once into .data/tools, keyed by a hash of its sources so a change
 * rebuilds it. The first build downloads its modules through the Go module proxy and takes minutes
 * on a busy machine (docs/deploy.md "Validation"); later runs reuse the binary.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SRC = path.join(ROOT, "scripts", "deploy-check");

export interface DeployCheck {
  binary: string;
  /** Seconds the build took; null when a cached binary was used. */
  builtInSec: number | null;
}

export function deployCheck(): DeployCheck {
  const hash = createHash("sha256");
  for (const f of ["go.mod", "go.sum", "main.go"]) hash.update(readFileSync(path.join(SRC, f)));
  const dir = path.join(ROOT, ".data", "tools");
  const binary = path.join(dir, `deploy-check-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(binary)) return { binary, builtInSec: null };
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const tmp = `${binary}.${process.pid}.tmp`;
  execFileSync("go", ["build", "-trimpath", "-o", tmp, "."], { cwd: SRC, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, GOFLAGS: "-mod=readonly" } });
  renameSync(tmp, binary);
  return { binary, builtInSec: (performance.now() - t0) / 1000 };
}

export interface CheckRun {
  ok: boolean;
  out: string;
  err: string;
}

export function runCheck(binary: string, args: string[], cwd = ROOT): CheckRun {
  const r = spawnSync(binary, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr };
}
