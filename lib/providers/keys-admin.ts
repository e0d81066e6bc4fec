/** The stored provider keys, for admins: names and last four characters only, never the values. */
import "server-only";
import { ApiError } from "@/lib/api/errors";
import { deleteProviderKey, listProviderKeys, saveProviderKey } from "@/lib/providers/keys";
import { requireRole, type SignedInUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/moderation/audit-log";

export interface KeyInfo {
  name: string;
  last4: string;
  updatedAt: string;
}

export async function listKeys(): Promise<KeyInfo[]> {
  await requireRole("admin");
  const rows = await listProviderKeys();
  return rows.map((k) => ({ name: k.name, last4: k.last4, updatedAt: k.updatedAt.toISOString() }));
}

export async function setKey(name: string, value: string, admin: SignedInUser): Promise<{ name: string; last4: string }> {
  let saved;
  try {
    saved = await saveProviderKey(name, value);
  } catch (err) {
    // The store's validation messages (name format, spaces) are written for admins.
    throw new ApiError("unprocessable", err instanceof Error ? err.message : "The key could not be stored.");
  }
  await recordAudit(admin.id, "key.set", "provider-key", name, { last4: saved.last4 });
  return { name: saved.name, last4: saved.last4 };
}

export async function deleteKey(name: string, admin: SignedInUser): Promise<void> {
  if (!(await deleteProviderKey(name))) throw new ApiError("not_found", `No stored key named "${name}".`);
  await recordAudit(admin.id, "key.delete", "provider-key", name, {});
}
