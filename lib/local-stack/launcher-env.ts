/**
 * Typed environment of the launcher (`npm run up`): what it reads before the services exist.
 * The processes it starts parse the full app environment (lib/env.ts) themselves.
 */
import { z } from "zod";

const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
const list = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

const ZLauncherEnv = z.object({
  PORT: port(3000),
  PG_PORT: port(54329),
  REDIS_PORT: port(6390),
  ARENA_DATA_DIR: z.string().default(".data"),
  RENDER_PROFILE: z.enum(["preview", "benchmark"]).default("preview"),
  ARENA_SWEEP_CATEGORIES: list,
});
export type LauncherEnv = z.infer<typeof ZLauncherEnv>;

export function launcherEnv(): LauncherEnv {
  const parsed = ZLauncherEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}\nSee .env.example.`,
    );
  }
  return parsed.data;
}
