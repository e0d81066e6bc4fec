/**
 * One display view as stored (blender-runner/harness/arena/display.py): the exact profile
 * resolution, 8-bit RGBA as rendered (transparent film), under a byte cap; decoded, put on the
 * neutral background here and encoded again from the pixels, so nothing but pixels survives and
 * every page shows the same background whatever the script did to its world.
 */
import { PNG } from "pngjs";
import { decodePng, ImageError, readPngHeader } from "./image-clean";
import { maxRenderPngBytes } from "./render-png";

/** Neutral dark grey (sRGB): light and dark materials both stand out from it. */
export const DISPLAY_BACKGROUND = [58, 59, 62] as const;

export function checkDisplayPng(bytes: Uint8Array, resolution: number): Buffer {
  if (bytes.length > maxRenderPngBytes(resolution)) throw new ImageError(`${bytes.length} bytes is too large for a ${resolution} px display view`);
  const h = readPngHeader(bytes);
  if (h.width !== resolution || h.height !== resolution) throw new ImageError(`${h.width} x ${h.height} px, not ${resolution} x ${resolution}`);
  if (h.bitDepth !== 8 || h.colorType !== 6) throw new ImageError(`bit depth ${h.bitDepth}, colour type ${h.colorType}: not 8-bit RGBA`);
  const { decoded } = decodePng(bytes, resolution * resolution);
  const src = decoded.data;
  const out = new PNG({ width: resolution, height: resolution, colorType: 2, inputColorType: 6, inputHasAlpha: true });
  const [br, bg, bb] = DISPLAY_BACKGROUND;
  // Straight alpha (Blender's PNGs): over the background, opaque.
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3]! / 255;
    out.data[i] = Math.round(src[i]! * a + br * (1 - a));
    out.data[i + 1] = Math.round(src[i + 1]! * a + bg * (1 - a));
    out.data[i + 2] = Math.round(src[i + 2]! * a + bb * (1 - a));
    out.data[i + 3] = 255;
  }
  return PNG.sync.write(out, { colorType: 2, inputColorType: 6, bitDepth: 8, inputHasAlpha: true });
}
