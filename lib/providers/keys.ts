/**
 * Provider API keys: the encrypted store (table ProviderKey, edited from the admin console) and
 * the lookup every call uses. A stored key wins over the environment, so an admin can rotate a
 * key without a restart. No function here returns a plaintext key except resolveApiKey, which
 * only the provider clients call; list results carry the last four characters at most.
 */
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { accountOf, defaultKeyVar, envApiKey } from "./config";
import { providerError } from "./errors";
import { last4, openKey, sealKey } from "./key-crypto";
import type { ModelSettings, ProviderKind } from "./types";

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface StoredKeyInfo {
  name: string;
  last4: string;
  updatedAt: Date;
}

function checkName(name: string): void {
  if (!KEY_NAME.test(name)) throw new Error("Key names are 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
}

export async function saveProviderKey(name: string, plaintext: string): Promise<StoredKeyInfo> {
  checkName(name);
  const key = plaintext.trim();
  if (!key || /\s/.test(key)) throw new Error("An API key is one word without spaces.");
  const sealed = sealKey(name, key, getEnv().AUTH_SECRET);
  const data = { ...sealed, last4: last4(key) };
  return db().providerKey.upsert({
    where: { name },
    create: { name, ...data },
    update: data,
    select: { name: true, last4: true, updatedAt: true },
  });
}

/** True when a key was deleted. */
export async function deleteProviderKey(name: string): Promise<boolean> {
  const { count } = await db().providerKey.deleteMany({ where: { name } });
  return count > 0;
}

export async function listProviderKeys(): Promise<StoredKeyInfo[]> {
  return db().providerKey.findMany({ select: { name: true, last4: true, updatedAt: true }, orderBy: { name: "asc" } });
}

async function storedKey(name: string): Promise<string | null> {
  const row = await db().providerKey.findUnique({ where: { name }, select: { ciphertext: true, iv: true, tag: true } });
  return row ? openKey(name, row, getEnv().AUTH_SECRET) : null;
}

/**
 * The key for a call: with settings.apiKeyName, the stored key of that name, else the env variable
 * of that name (only *_API_KEY variables); otherwise the stored key named after the provider
 * account ("openai" also serves openai-responses), else its env variable (OPENAI_API_KEY...).
 * Null only for openai-compatible, whose endpoints may need no key; a missing key elsewhere is a
 * not_configured error naming where to put one.
 */
export async function resolveApiKey(kind: ProviderKind, settings: ModelSettings): Promise<string | null> {
  const name = settings.apiKeyName;
  const key = name ? ((await storedKey(name)) ?? envApiKey(name)) : ((await storedKey(accountOf(kind))) ?? envApiKey(defaultKeyVar(kind)));
  if (key || (kind === "openai-compatible" && !name)) return key;
  const where = name ? `a stored key or *_API_KEY variable named "${name}"` : `a stored "${accountOf(kind)}" key or ${defaultKeyVar(kind)}`;
  throw providerError("not_configured", `${kind}: no API key configured (expected ${where})`);
}
