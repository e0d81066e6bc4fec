/** Content stamps: redo an expensive step (prisma generate, next build) only when inputs change. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";

export function hashInputs(root: string, inputs: string[]): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p).sort()) {
        if (e === "node_modules" || e === "generated" || e.startsWith(".")) continue;
        walk(path.join(p, e));
      }
    } else {
      h.update(path.relative(root, p)).update("\0").update(readFileSync(p)).update("\0");
    }
  };
  for (const i of inputs) walk(path.join(root, i));
  return h.digest("hex");
}

export function stampMatches(file: string, hash: string): boolean {
  return existsSync(file) && readFileSync(file, "utf8") === hash;
}

export function writeStamp(file: string, hash: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, hash);
}
