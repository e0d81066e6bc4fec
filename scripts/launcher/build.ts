/**
 * Build steps the launcher and the test runner share: Prisma client generation and the Next.js
 * production build, each skipped when its inputs are unchanged.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { hashInputs, stampMatches, writeStamp } from "@/scripts/launcher/stamps";

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, onLine: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const take = (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-8000);
      for (const l of text.split("\n")) if (l.trim()) onLine(l);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${tail}`))));
  });
}

export async function prismaGenerate(root: string, onLine: (l: string) => void = () => undefined): Promise<boolean> {
  const hash = hashInputs(root, ["prisma/schema.prisma", "package-lock.json"]);
  const stamp = path.join(root, "lib/generated/.stamp");
  if (stampMatches(stamp, hash)) return false;
  // generate needs no schema engine; pointing this at any existing file stops Prisma from trying
  // to download one (there is no network here).
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
  await run(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate"], root, env, onLine);
  writeStamp(stamp, hash);
  return true;
}

export const WEB_BUILD_INPUTS = ["app", "components", "lib", "blender-runner/client", "public", "proxy.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

export async function nextBuild(root: string, onLine: (l: string) => void = () => undefined): Promise<boolean> {
  const hash = hashInputs(root, WEB_BUILD_INPUTS);
  const stamp = path.join(root, ".next/.arena-stamp");
  if (stampMatches(stamp, hash)) return false;
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" } as NodeJS.ProcessEnv;
  await run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], root, env, onLine);
  writeStamp(stamp, hash);
  return true;
}
