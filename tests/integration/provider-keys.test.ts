/**
 * The encrypted key store on real PostgreSQL: what is stored is ciphertext, listing shows names
 * and last four characters only, a stored key wins over the environment, and a rotated
 * AUTH_SECRET makes stored keys fail with a readable message.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { deleteProviderKey, listProviderKeys, resolveApiKey, saveProviderKey } = await import("@/lib/providers/keys");

const NAMES = ["openai", "pk-test-model", "gemini"];
const PLAIN = "sk-test-0123456789abcdefLAST";

async function cleanup(): Promise<void> {
  await db().providerKey.deleteMany({ where: { name: { in: NAMES } } });
}

before(cleanup);
after(async () => {
  await cleanup();
  await disconnectDb();
});

it("stores ciphertext only and lists names with the last four characters", async () => {
  const saved = await saveProviderKey("openai", `  ${PLAIN}\n`);
  assert.deepEqual(Object.keys(saved).sort(), ["last4", "name", "updatedAt"]);
  assert.equal(saved.last4, "LAST");
  // Omitted by default (lib/db): a plain read does not even carry the ciphertext.
  assert.ok(!("ciphertext" in (await db().providerKey.findUniqueOrThrow({ where: { name: "openai" } }))));
  const row = await db().providerKey.findUniqueOrThrow({ where: { name: "openai" }, select: { ciphertext: true } });
  assert.ok(!row.ciphertext.includes("0123456789"));
  const listed = (await listProviderKeys()).find((k) => k.name === "openai")!;
  assert.deepEqual(Object.keys(listed).sort(), ["last4", "name", "updatedAt"]);
  assert.ok(!JSON.stringify(await listProviderKeys()).includes(PLAIN));
});

it("resolves stored keys before the environment, by account or by apiKeyName", async () => {
  process.env.OPENAI_API_KEY = "from-env";
  process.env.MY_MODEL_API_KEY = "named-env";
  process.env.GEMINI_API_KEY = "gemini-env";
  assert.equal(await resolveApiKey("openai", {}), PLAIN);
  assert.equal(await resolveApiKey("openai-responses", {}), PLAIN, "the Responses API uses the OpenAI account's key");
  assert.equal(await resolveApiKey("gemini", {}), "gemini-env");
  assert.equal(await resolveApiKey("anthropic", { apiKeyName: "MY_MODEL_API_KEY" }), "named-env");
  await saveProviderKey("pk-test-model", "stored-for-model");
  assert.equal(await resolveApiKey("anthropic", { apiKeyName: "pk-test-model" }), "stored-for-model");
  assert.equal(await resolveApiKey("openai-compatible", {}), null, "openai-compatible may need no key");
});

it("refuses variables that are not *_API_KEY and says where a key is missing", async () => {
  await assert.rejects(resolveApiKey("openai", { apiKeyName: "AUTH_SECRET" }), { code: "not_configured" });
  delete process.env.ANTHROPIC_API_KEY;
  await assert.rejects(resolveApiKey("anthropic", {}), {
    code: "not_configured",
    message: 'anthropic: no API key configured (expected a stored "anthropic" key or ANTHROPIC_API_KEY)',
  });
});

it("fails readably once AUTH_SECRET changes, and deletes", async () => {
  const original = process.env.AUTH_SECRET!;
  process.env.AUTH_SECRET = `${original}-rotated`;
  resetEnvCache();
  try {
    await assert.rejects(resolveApiKey("openai", {}), /AUTH_SECRET changed since it was saved/);
  } finally {
    process.env.AUTH_SECRET = original;
    resetEnvCache();
  }
  assert.equal(await resolveApiKey("openai", {}), PLAIN);
  assert.equal(await deleteProviderKey("openai"), true);
  assert.equal(await deleteProviderKey("openai"), false);
  assert.equal(await resolveApiKey("openai", {}), "from-env");
});

it("rejects odd names and keys with spaces", async () => {
  await assert.rejects(saveProviderKey("../etc", "x"), /Key names are/);
  await assert.rejects(saveProviderKey("gemini", "two words"), /one word/);
});
