/** The Runner the execution worker uses: the local bubblewrap sandbox, configured from the env. */
import path from "node:path";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { Runner } from "@/blender-runner/client/types";
import { getEnv } from "@/lib/env";

export function createRunnerFromEnv(): Runner {
  const env = getEnv();
  return createLocalRunner({
    root: env.ARENA_ROOT,
    jobsRoot: path.join(env.dataDir, "jobs"),
    blender: env.BLENDER || undefined,
    venvDir: env.BLENDER_VENV || undefined,
    sandboxUidBase: env.EXEC_SANDBOX_UID_BASE,
    sandboxUidCount: env.EXEC_SANDBOX_UID_COUNT,
    device: env.EXEC_DEVICE,
  });
}
