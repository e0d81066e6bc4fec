/**
 * Test helpers. `npm test` (scripts/test.ts) starts real PostgreSQL and Redis and passes their URLs;
 * running a test file by hand without them fails with a clear message instead of a confusing one.
 */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests through \`npm test\` (scripts/test.ts), which starts the services.`);
  return v;
}
