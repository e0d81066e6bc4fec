#!/usr/bin/env node
// Entry for `npm run up` and `npm test` on a fresh clone: no dependencies of its own.
// Installs node_modules when missing or out of date with package-lock.json, then hands over to
// the TypeScript launcher (scripts/up.ts or scripts/test.ts) and forwards signals to it.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const command = process.argv[2];
const targets = { up: "scripts/up.ts", test: "scripts/test.ts" };
if (!targets[command]) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(targets).join("|")}> [args]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 9)) {
  console.error(`Node ${process.versions.node} is too old: 3DCodeArena needs Node 20.9 or newer.`);
  process.exit(1);
}

const lock = path.join(root, "package-lock.json");
const stamp = path.join(root, "node_modules", ".arena-lock-hash");
const lockHash = createHash("sha256").update(readFileSync(lock)).digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lockHash) {
  console.log("› installing npm dependencies (npm ci) ...");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("npm ci failed; see the output above.");
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, lockHash);
}

const child = spawn(process.execPath, ["--import", "tsx", targets[command], ...process.argv.slice(3)], {
  cwd: root,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
