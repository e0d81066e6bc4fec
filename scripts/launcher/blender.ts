/**
 * Makes a Blender 5.x available for the launcher and the tests: the binary named by BLENDER, or the
 * project venv with PyPI's bpy (created on first run, with progress).
 */
import { detectVersion, ensureBlenderVenv, resolveBlender } from "@/blender-runner/client/blender";

export interface BlenderReady {
  version: string;
  describe: string;
  venv: string | null;
  binary: string | null;
}

export async function ensureBlender(root: string, say: (line: string) => void): Promise<BlenderReady> {
  if (process.env.BLENDER) {
    const install = resolveBlender({ root });
    const version = await detectVersion(install);
    if (!version.startsWith("5.")) throw new Error(`BLENDER=${process.env.BLENDER} is Blender ${version}; 3DCodeArena needs Blender 5.x.`);
    return { version, describe: `binary ${process.env.BLENDER}`, venv: null, binary: process.env.BLENDER };
  }
  const res = await ensureBlenderVenv({ root, onProgress: (l) => say(`blender: ${l}`) });
  return { version: res.bpyVersion, describe: `bpy module in ${res.venvDir}`, venv: res.venvDir, binary: null };
}
