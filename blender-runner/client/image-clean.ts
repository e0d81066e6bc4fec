/**
 * Images from a sandbox, re-made so that only pixels survive: PNGs are decoded (pngjs, pure JS)
 * and re-encoded from the decoded pixels, so no ancillary chunk (tEXt with paths or names, iTXt,
 * eXIf, ...) is carried over; JPEGs keep their image segments and lose APPn (EXIF, XMP, JFIF
 * thumbnails, ICC) and comments. Pure: bytes in, bytes out.
 */
import { PNG } from "pngjs";

export class ImageError extends Error {
  override name = "ImageError";
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/** The IHDR fields, read before anything is decoded (so a huge claimed size is refused cheaply). */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new ImageError("not a PNG");
  if (buf.readUInt32BE(8) !== 13 || buf.toString("latin1", 12, 16) !== "IHDR") throw new ImageError("the PNG does not start with IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24]!, colorType: buf[25]! };
}

/** Decodes (CRCs checked) and re-encodes as 8-bit RGBA; refuses images above maxPixels. */
export function reencodePng(bytes: Uint8Array, maxPixels: number): { png: Buffer; header: PngHeader } {
  const { decoded, header } = decodePng(bytes, maxPixels);
  const png = PNG.sync.write(decoded, { colorType: 6, inputColorType: 6, bitDepth: 8, inputHasAlpha: true });
  return { png, header };
}

/** The PNG's pixels (8-bit RGBA after decoding), CRCs checked; refuses images above maxPixels. */
export function decodePng(bytes: Uint8Array, maxPixels: number): { decoded: PNG; header: PngHeader } {
  const header = readPngHeader(bytes);
  if (header.width < 1 || header.height < 1 || header.width * header.height > maxPixels) {
    throw new ImageError(`PNG of ${header.width} x ${header.height} pixels (limit ${maxPixels} pixels)`);
  }
  let decoded: PNG;
  try {
    decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { checkCRC: true });
  } catch (err) {
    throw new ImageError(`the PNG does not decode: ${(err as Error).message.slice(0, 200)}`);
  }
  if (decoded.width !== header.width || decoded.height !== header.height) throw new ImageError("the PNG's decoded size differs from its header");
  return { decoded, header };
}

/** APPn that decoders need: Adobe's APP14 (its colour-transform flag) in its standard 12-byte form. */
function keepSegment(marker: number, payload: Buffer): boolean {
  if (marker === 0xee) return payload.length === 12 && payload.toString("latin1", 0, 5) === "Adobe";
  return !(marker >= 0xe0 && marker <= 0xef) && marker !== 0xfe;
}

/** The JPEG without APPn (except a standard Adobe APP14) and COM segments. */
export function stripJpegMetadata(bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) throw new ImageError("not a JPEG");
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 4 > buf.length || buf[i] !== 0xff) throw new ImageError("a broken JPEG segment");
    const marker = buf[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9) throw new ImageError("a JPEG without image data");
    const length = buf.readUInt16BE(i + 2);
    if (length < 2 || i + 2 + length > buf.length) throw new ImageError("a JPEG segment runs past the end");
    const segment = buf.subarray(i, i + 2 + length);
    if (keepSegment(marker, segment.subarray(4))) out.push(segment);
    i += 2 + length;
    if (marker === 0xda) {
      // Start of scan: entropy-coded data (and any later scans) up to and including EOI.
      const eoi = buf.lastIndexOf(Buffer.from([0xff, 0xd9]));
      if (eoi < i) throw new ImageError("a JPEG without an end marker");
      out.push(buf.subarray(i, eoi + 2));
      return Buffer.concat(out);
    }
  }
}

/** Magic-number sniffing: what an image's bytes really are, whatever a mimeType claims. */
export function sniffImage(bytes: Uint8Array): "image/png" | "image/jpeg" | null {
  if (bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(PNG_SIGNATURE)) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return null;
}
