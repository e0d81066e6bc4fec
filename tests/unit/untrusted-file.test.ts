/**
 * The capped reader for what a sandbox leaves behind (blender-runner/client/untrusted-file.ts), on
 * hostile files a script could plant: a FIFO (must never block), symlinks at the end or on the
 * way, a device, an oversized file; a missing file is null, a regular one its bytes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { copyUntrusted, readUntrusted, UntrustedFileError } from "@/blender-runner/client/untrusted-file";

describe("reading untrusted files", () => {
  let dir: string;
  let secret: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "arena-untrusted-"));
    secret = path.join(dir, "host-secret");
    writeFileSync(secret, "AUTH_SECRET=host");
    mkdirSync(path.join(dir, "out", "renders"), { recursive: true });
    writeFileSync(path.join(dir, "out", "ok.glb"), "glTF-bytes");
    execFileSync("mkfifo", [path.join(dir, "out", "fifo.glb")]);
    symlinkSync(secret, path.join(dir, "out", "link.glb"));
    symlinkSync("/etc", path.join(dir, "out", "etc"));
    symlinkSync(path.join(dir, "out"), path.join(dir, "outlink"));
    writeFileSync(path.join(dir, "out", "big.glb"), Buffer.alloc(2048));
    if (process.getuid?.() === 0) execFileSync("mknod", [path.join(dir, "out", "null.glb"), "c", "1", "3"]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const refuses = (rel: string, reason: RegExp, cap = 1024) =>
    assert.rejects(readUntrusted(dir, rel, cap), (e: unknown) => e instanceof UntrustedFileError && reason.test(e.message));

  it("reads a regular file fully into memory", async () => {
    assert.equal((await readUntrusted(dir, "out/ok.glb", 1024))?.toString(), "glTF-bytes");
  });

  it("returns null for a missing file or folder", async () => {
    assert.equal(await readUntrusted(dir, "out/none.glb", 1024), null);
    assert.equal(await readUntrusted(dir, "nope/none.glb", 1024), null);
  });

  it("refuses a FIFO at once instead of blocking on it", async () => {
    const t = performance.now();
    await refuses("out/fifo.glb", /is a FIFO, not a regular file/);
    assert.ok(performance.now() - t < 1000, "the open did not wait for a writer");
  });

  it("refuses a symlink as the file, and a symlinked folder on the way", async () => {
    await refuses("out/link.glb", /is a symlink/);
    await refuses("out/etc/passwd", /etc is a symlink/);
    await refuses("outlink/ok.glb", /outlink is a symlink/);
  });

  it("refuses a device, and a file over the cap", async (t) => {
    if (process.getuid?.() === 0) await refuses("out/null.glb", /is a device/);
    else t.diagnostic("not root: no device node to plant");
    await refuses("out/big.glb", /2048 bytes \(limit 1024\)/);
  });

  it("refuses paths that climb out", async () => {
    await refuses("../host-secret", /bad relative path/);
    await refuses("out/./ok.glb", /bad relative path/);
  });

  it("copies with the same checks, never through a FIFO or a symlink", async () => {
    const dest = path.join(dir, "copy.bin");
    assert.deepEqual(await copyUntrusted(dir, "out/ok.glb", dest, 1024), { bytes: 10, sha256: createHash("sha256").update("glTF-bytes").digest("hex") });
    assert.equal(readFileSync(dest, "utf8"), "glTF-bytes");
    await assert.rejects(copyUntrusted(dir, "out/fifo.glb", path.join(dir, "c2"), 1024), /FIFO/);
    await assert.rejects(copyUntrusted(dir, "out/link.glb", path.join(dir, "c3"), 1024), /symlink/);
    await assert.rejects(copyUntrusted(dir, "out/ok.glb", dest, 1024), /EEXIST/, "never overwrites");
  });
});
