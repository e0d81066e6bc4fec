/**
 * Installs missing Debian packages the local stack needs (redis-server, bubblewrap, chromium).
 * As root it runs apt-get; otherwise it stops with the exact command to run.
 */
import { spawnSync } from "node:child_process";

let updated = false;

export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export class MissingPackageError extends Error {}

export function ensureAptPackages(wanted: { command: string; pkg: string }[], log: (line: string) => void): void {
  const missing = wanted.filter((w) => !hasCommand(w.command));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const cmd = `apt-get update && apt-get install -y ${pkgs.join(" ")}`;
  if (process.getuid?.() !== 0) {
    throw new MissingPackageError(`Missing ${missing.map((m) => m.command).join(", ")}. Install with:\n  sudo sh -c '${cmd}'`);
  }
  log(`installing ${pkgs.join(", ")} with apt-get (first run only)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!updated) {
    const u = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    if (u.status !== 0) throw new MissingPackageError(`apt-get update failed; run manually: ${cmd}`);
    updated = true;
  }
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { stdio: "inherit", env });
  if (r.status !== 0) throw new MissingPackageError(`apt-get install failed; run manually: ${cmd}`);
  for (const m of missing) {
    if (!hasCommand(m.command)) throw new MissingPackageError(`${m.pkg} installed but '${m.command}' is still not on PATH`);
  }
}
