/**
 * Encryption of stored provider keys: AES-256-GCM under a key derived from AUTH_SECRET with HKDF.
 * The key's name is bound in as associated data, so a ciphertext copied to another row does not
 * decrypt. Changing AUTH_SECRET makes stored keys unreadable (they must be saved again).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export interface SealedKey {
  ciphertext: string;
  iv: string;
  tag: string;
}

/** Domain separation: AUTH_SECRET also signs cookies, which must never share this key. */
const HKDF_SALT = "3dcodearena/provider-keys";
const HKDF_INFO = "aes-256-gcm v1";

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, HKDF_SALT, HKDF_INFO, 32));
}

export function sealKey(name: string, plaintext: string, secret: string): SealedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret), iv);
  cipher.setAAD(Buffer.from(name));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: ciphertext.toString("base64"), iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64") };
}

export function openKey(name: string, sealed: SealedKey, secret: string): string {
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret), Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`The stored key "${name}" cannot be decrypted: AUTH_SECRET changed since it was saved. Save the key again.`);
  }
}

/** What the admin console may show of a key. */
export function last4(plaintext: string): string {
  return plaintext.slice(-4);
}
