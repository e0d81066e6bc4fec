/**
 * The image metrics' arithmetic and preprocessing (lib/metrics/image): the view pairing on a matrix
 * checked by hand, PNG decoding with alpha dropped, PIL-style bilinear resize, SigLIP-2 NaFlex sizes
 * and patch order, and the caps a hostile render meets.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import { bestAssignment, cosineMatrix, l2normalise, pairedScore } from "@/lib/metrics/image/pairing";
import { decodeView, fixedSizeTensor, ImageInputError, naflexPatches, naflexSize, resizeBilinear, ZProcessorConfig } from "@/lib/metrics/image/preprocess";

const close = (a: number | null, b: number, eps = 1e-9) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} vs ${b}`);

describe("view pairing", () => {
  // Generated view i (rows) vs reference view j (columns). The diagonal is 0.5, 0.1, 0.2, 0.3
  // (mean 0.275). The best matching is 0->1, 1->0, 2->3, 3->2: 0.9 + 0.8 + 0.7 + 0.6 = 3.0,
  // mean 0.75; checked against all 24 permutations by hand (the next best, 0->1 1->0 2->2 3->3,
  // sums 0.9 + 0.8 + 0.2 + 0.3 = 2.2).
  const M = [
    [0.5, 0.9, 0.1, 0.0],
    [0.8, 0.1, 0.0, 0.2],
    [0.0, 0.1, 0.2, 0.7],
    [0.1, 0.0, 0.6, 0.3],
  ];

  it("view-paired is the mean of the diagonal, best-assignment the optimal matching's mean", () => {
    close(pairedScore(M), 0.275);
    const best = bestAssignment(M);
    close(best.score, 0.75);
    assert.deepEqual(best.assignment, [1, 0, 3, 2]);
  });

  it("missing views: the diagonal entries present, the matching on the present views", () => {
    const partial = M.map((row, i) => row.map((x, j) => (i === 3 || j === 0 ? null : x)));
    close(pairedScore(partial), (0.1 + 0.2) / 2);
    const best = bestAssignment(partial);
    // Rows 0..2 vs columns 1..3: 0->1, 1->2, 2->3 = 0.9 + 0.0 + 0.7 = 1.6 beats e.g. 0->1, 1->3, 2->2
    // = 0.9 + 0.2 + 0.2 = 1.3 (and the four other matchings, all below 1.6).
    close(best.score, (0.9 + 0.0 + 0.7) / 3);
    assert.deepEqual(best.assignment, [1, 2, 3, null]);
  });

  it("fewer rows than columns and the reverse match min(rows, columns) pairs", () => {
    const oneRow = [[0.2, 0.4, 0.9, 0.1], [null, null, null, null], [null, null, null, null], [null, null, null, null]];
    close(bestAssignment(oneRow).score, 0.9);
    const oneCol = [[0.2, null, null, null], [0.7, null, null, null], [0.1, null, null, null], [0.3, null, null, null]];
    const b = bestAssignment(oneCol);
    close(b.score, 0.7);
    assert.deepEqual(b.assignment, [null, 0, null, null]);
    assert.equal(bestAssignment([[null]]).score, null);
  });

  it("cosines of normalised vectors lie in [-1, 1] and a vector with itself is 1", () => {
    const a = l2normalise([3, 4]);
    const b = l2normalise([-4, 3]);
    const m = cosineMatrix([a, b, null], [a, l2normalise([-3, -4])]);
    close(m[0]![0]!, 1, 1e-6);
    close(m[0]![1]!, -1, 1e-6);
    close(m[1]![0]!, 0, 1e-6);
    assert.deepEqual(m[2], [null, null]);
    assert.deepEqual([...l2normalise([0, 0])], [0, 0]);
  });
});

function png(width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): Buffer {
  const p = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b, a] = rgba(x, y);
      p.data[i] = r;
      p.data[i + 1] = g;
      p.data[i + 2] = b;
      p.data[i + 3] = a;
    }
  return PNG.sync.write(p);
}

describe("preprocessing", () => {
  it("drops alpha as PIL convert('RGB') does: colour kept, transparent black stays black", () => {
    const img = decodeView(png(16, 16, (x) => (x < 8 ? [0, 0, 0, 0] : [200, 100, 50, 128])), "v");
    assert.deepEqual([...img.data.subarray(0, 3)], [0, 0, 0]);
    assert.deepEqual([...img.data.subarray(8 * 3, 8 * 3 + 3)], [200, 100, 50]);
    assert.equal(img.data.length, 16 * 16 * 3);
  });

  it("bilinear resize: halving averages 2x2 blocks, upsizing interpolates, a constant stays constant", () => {
    const src = { width: 4, height: 2, data: new Uint8Array([0, 0, 0, 100, 100, 100, 20, 20, 20, 40, 40, 40, 0, 0, 0, 100, 100, 100, 20, 20, 20, 40, 40, 40]) };
    const half = resizeBilinear(src, 2, 1);
    // PIL's antialiased triangle over 4 source pixels per output: weights 1/8, 3/8, 3/8, 1/8 clipped to
    // the image edge -> for output 0: (3*0 + 3*100 + 1*20)/7 = 45.7 -> 46 (edge renormalised).
    assert.equal(half.data[0], 46);
    const flat = { width: 3, height: 3, data: new Uint8Array(27).fill(77) };
    assert.ok(resizeBilinear(flat, 7, 5).data.every((v) => v === 77));
    const up = resizeBilinear({ width: 2, height: 1, data: new Uint8Array([0, 0, 0, 100, 100, 100]) }, 4, 1);
    assert.deepEqual([...up.data].filter((_, i) => i % 3 === 0), [0, 25, 75, 100]);
  });

  it("NaFlex size: the largest whole-patch size within max_num_patches, aspect kept", () => {
    assert.deepEqual(naflexSize(512, 512, 16, 256), { height: 256, width: 256 });
    assert.deepEqual(naflexSize(512, 512, 16, 16), { height: 64, width: 64 });
    const wide = naflexSize(300, 600, 16, 256);
    assert.ok((wide.height / 16) * (wide.width / 16) <= 256 && wide.width > wide.height, JSON.stringify(wide));
  });

  it("NaFlex patches are row-major over (y, x, channel), normalised, the rest masked off", () => {
    const cfg = ZProcessorConfig.parse({ image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], patch_size: 16, max_num_patches: 3 });
    // 32x16 image: two patches side by side, left white, right black. Any larger scale would round up
    // to 2x3 = 6 patches, past the 3 allowed, so it stays at its size and the third slot is padding.
    const img = { width: 32, height: 16, data: new Uint8Array(32 * 16 * 3).map((_, i) => (Math.floor(i / 3) % 32 < 16 ? 255 : 0)) };
    const p = naflexPatches(img, cfg);
    assert.deepEqual(p.grid, [1, 2]);
    assert.deepEqual([...p.mask], [1n, 1n, 0n]);
    const dim = 16 * 16 * 3;
    close(p.patches[0]!, 1, 1e-6);
    close(p.patches[dim]!, -1, 1e-6);
    assert.ok(p.patches.subarray(2 * dim).every((v) => v === 0));
  });

  it("fixed-size tensors are CHW after resize and ImageNet normalisation", () => {
    const cfg = ZProcessorConfig.parse({ image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225], size: { height: 8, width: 8 } });
    const t = fixedSizeTensor({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(255) }, cfg);
    assert.equal(t.data.length, 3 * 8 * 8);
    close(t.data[0]!, (1 - 0.485) / 0.229, 1e-5);
    close(t.data[64 * 2]!, (1 - 0.406) / 0.225, 1e-5);
  });
});

describe("hostile views", () => {
  const reason = (bytes: Buffer) => {
    try {
      decodeView(bytes, "generated view Image_005");
      return null;
    } catch (err) {
      assert.ok(err instanceof ImageInputError, String(err));
      return err.message;
    }
  };

  it("a corrupt file, a claimed huge size and a tiny image are refused with a reason", () => {
    assert.match(reason(Buffer.from("not a png at all, just text padding padding padding"))!, /is not a PNG file/);
    const good = png(16, 16, () => [1, 2, 3, 255]);
    const truncated = good.subarray(0, 60);
    assert.match(reason(truncated)!, /could not be decoded as PNG/);
    const huge = Buffer.from(good);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    assert.match(reason(huge)!, /20000x20000 px; at most 4096 px a side/);
    assert.match(reason(png(4, 4, () => [0, 0, 0, 255]))!, /4x4 px; at least 16 px a side/);
    assert.equal(reason(good), null);
  });
});
