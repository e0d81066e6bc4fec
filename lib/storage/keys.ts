/** Asset keys: the one check both stores apply before touching anything (hostile keys included). */
const KEY_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
/** Longer keys are refused: S3 caps keys at 1024 bytes, and none of ours comes close. */
const MAX_KEY_LENGTH = 512;

export class InvalidAssetKeyError extends Error {
  override name = "InvalidAssetKeyError";
}

export function assertKey(key: string): void {
  if (typeof key !== "string" || key.length > MAX_KEY_LENGTH || !KEY_RE.test(key) || key.split("/").some((p) => p === "." || p === "..")) {
    throw new InvalidAssetKeyError(`Invalid asset key: ${JSON.stringify(String(key).slice(0, 200))}`);
  }
}

export function isValidKey(key: string): boolean {
  try {
    assertKey(key);
    return true;
  } catch {
    return false;
  }
}
