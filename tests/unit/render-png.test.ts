/**
 * The four views and texture images as stored (blender-runner/client/render-png.ts,
 * image-clean.ts): exact size, 8-bit RGBA, byte cap, re-encoded so only pixels survive; JPEG
 * metadata stripped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import { ImageError, stripJpegMetadata } from "@/blender-runner/client/image-clean";
import { checkRenderPng, maxRenderPngBytes } from "@/blender-runner/client/render-png";
import { pngWithText } from "@/tests/support/glb";

function png(width: number, height: number, opts: { colorType?: 0 | 2 | 4 | 6; bitDepth?: 8 | 16 } = {}): Buffer {
  const img = new PNG({ width, height, colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8, inputHasAlpha: true });
  for (let i = 0; i < width * height; i++) img.data.set([i % 256, 7, 9, 255], i * 4);
  return PNG.sync.write(img, { colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8, inputHasAlpha: true });
}

describe("render PNG check", () => {
  it("keeps the pixels of an exact-size RGBA view and drops tEXt", () => {
    const original = PNG.sync.read(png(16, 16));
    // A tEXt chunk right after IHDR (signature 8 + IHDR 25 bytes), as a script's own PNG could carry.
    const t = pngWithText("secret");
    const text = t.subarray(33, 33 + 12 + t.readUInt32BE(33));
    const tagged = Buffer.concat([png(16, 16).subarray(0, 33), text, png(16, 16).subarray(33)]);
    assert.ok(tagged.includes("secret"));
    const out = checkRenderPng(tagged, 16);
    assert.ok(!out.includes("secret"));
    assert.ok(!out.includes("tEXt"));
    assert.deepEqual(PNG.sync.read(out).data, original.data);
  });

  const refuses = (bytes: Uint8Array, res: number, reason: RegExp) => assert.throws(() => checkRenderPng(bytes, res), (e: unknown) => e instanceof ImageError && reason.test(e.message));
  it("refuses the wrong size, depth or colour type", () => {
    refuses(png(16, 8), 16, /16 x 8 px, not 16 x 16/);
    refuses(png(32, 32), 16, /not 16 x 16|too large/);
    refuses(png(16, 16, { colorType: 2 }), 16, /colour type 2/);
    refuses(png(16, 16, { bitDepth: 16 }), 16, /bit depth 16/);
  });

  it("refuses what is not a PNG, a truncated one, a broken CRC, and oversized bytes", () => {
    refuses(Buffer.from("GIF89a..........................."), 16, /not a PNG/);
    const good = png(16, 16);
    refuses(good.subarray(0, good.length - 20), 16, /does not decode/);
    const badCrc = Buffer.from(good);
    badCrc[29] = badCrc[29]! ^ 0xff; // inside IHDR's CRC
    refuses(badCrc, 16, /does not decode/);
    refuses(Buffer.concat([good, Buffer.alloc(maxRenderPngBytes(16))]), 16, /too large/);
  });
});

describe("JPEG metadata", () => {
  it("drops APPn (EXIF, JFIF) and COM segments, keeps the image segments and scan data", () => {
    const seg = (marker: number, payload: Buffer) => {
      const head = Buffer.from([0xff, marker, 0, 0]);
      head.writeUInt16BE(payload.length + 2, 2);
      return Buffer.concat([head, payload]);
    };
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe0, Buffer.from("JFIF\0thumbnail")),
      seg(0xe1, Buffer.from("Exif\0\0secret-gps")),
      seg(0xfe, Buffer.from("made by model-x")),
      seg(0xdb, Buffer.alloc(65, 1)),
      seg(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
      seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
      Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56]),
      Buffer.from([0xff, 0xd9]),
    ]);
    const out = stripJpegMetadata(jpeg);
    for (const s of ["JFIF", "Exif", "secret", "model-x"]) assert.ok(!out.includes(s), s);
    assert.ok(out.includes(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9])));
    assert.equal(out.length, jpeg.length - (4 + 14) - (4 + 16) - (4 + 15));
    assert.throws(() => stripJpegMetadata(Buffer.from("nope")), ImageError);
  });
});
