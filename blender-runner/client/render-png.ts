/**
 * One of the four views as stored: the exact profile resolution, 8-bit RGBA (docs/benchmark.md §4:
 * "512x512 PNG, RGBA with transparent film"), under a byte cap, re-encoded from its pixels.
 */
import { ImageError, readPngHeader, reencodePng } from "./image-clean";

/** A deflated RGBA image is never much larger than its raw pixels. */
export const maxRenderPngBytes = (resolution: number): number => resolution * resolution * 4 + 64 * 1024;

export function checkRenderPng(bytes: Uint8Array, resolution: number): Buffer {
  if (bytes.length > maxRenderPngBytes(resolution)) throw new ImageError(`${bytes.length} bytes is too large for a ${resolution} px view`);
  const h = readPngHeader(bytes);
  if (h.width !== resolution || h.height !== resolution) throw new ImageError(`${h.width} x ${h.height} px, not ${resolution} x ${resolution}`);
  if (h.bitDepth !== 8 || h.colorType !== 6) throw new ImageError(`bit depth ${h.bitDepth}, colour type ${h.colorType}: not 8-bit RGBA`);
  return reencodePng(bytes, resolution * resolution).png;
}
