/**
 * `npm run users -- <command>`: account administration from the server's shell (no web session
 * needed, so it also makes the very first admin).
 *
 *   list [--role voter|maintainer|admin]   accounts with role, verified, blocked
 *   promote <email> <admin|maintainer|voter>   set the role (voter demotes)
 *   revoke <email>                         sign the account out everywhere
 *   block <email> / unblock <email>        block (signs out, refuses sign-in) or lift it
 *   link <email>                           print a fresh verification link (older ones stop working)
 *
 * Against `npm run up`'s embedded services by default (PG_PORT, .data/auth-secret); set
 * DATABASE_URL (and AUTH_SECRET) for another database, e.g. inside the docker-compose web service.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadDotenv } from "@/scripts/launcher/dotenv";
import { ensureAuthSecret } from "@/scripts/launcher/secret";
import { launcherEnv } from "@/lib/env";

const USAGE = `usage: npm run users -- <command>
  list [--role voter|maintainer|admin]
  promote <email> <admin|maintainer|voter>
  revoke <email>
  block <email>
  unblock <email>
  link <email>`;
const ROLES = ["voter", "maintainer", "admin"] as const;
type Role = (typeof ROLES)[number];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
loadDotenv(path.join(root, ".env"));
const lenv = launcherEnv();
process.env.DATABASE_URL ??= `postgresql://arena:arena@127.0.0.1:${lenv.PG_PORT}/arena`;
// Required by the typed environment; this command never talks to Redis.
process.env.REDIS_URL ??= `redis://127.0.0.1:${lenv.REDIS_PORT}`;
process.env.AUTH_SECRET ??= ensureAuthSecret(path.resolve(root, lenv.ARENA_DATA_DIR));

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const [command, ...args] = process.argv.slice(2);
const email = args[0]?.trim().toLowerCase();
const isRole = (r: string | undefined): r is Role => ROLES.includes(r as Role);

const { disconnectDb } = await import("@/lib/db");
const users = await import("@/lib/auth/users");
try {
  switch (command) {
    case "list": {
      const role = args[0] === "--role" ? args[1] : undefined;
      if (args.length && !isRole(role)) fail(`--role takes one of ${ROLES.join(", ")}.\n${USAGE}`, 2);
      const rows = await users.listAccounts({ role: isRole(role) ? role : undefined });
      if (rows.length === 0) console.log("No accounts.");
      const width = Math.max(5, ...rows.map((r) => r.email.length));
      if (rows.length) console.log(`${"email".padEnd(width)}  role        verified  blocked  created`);
      for (const r of rows) {
        console.log(`${r.email.padEnd(width)}  ${r.role.padEnd(10)}  ${(r.verified ? "yes" : "no").padEnd(8)}  ${(r.blocked ? "yes" : "no").padEnd(7)}  ${r.createdAt.toISOString().slice(0, 10)}`);
      }
      break;
    }
    case "promote": {
      const role = args[1];
      if (!email || !isRole(role)) fail(`promote needs an email and one of ${ROLES.join(", ")}.\n${USAGE}`, 2);
      const r = await users.setRole(email, role);
      console.log(`${email}: ${r.before} → ${role} (effective on its next request).`);
      if (!r.verified && role !== "voter") {
        console.log("Warning: this address is not verified. Whoever registered it holds the password; `npm run users -- link` gives its owner a link to take it over.");
      }
      break;
    }
    case "revoke":
      if (!email) fail(`revoke needs an email.\n${USAGE}`, 2);
      await users.signOutEverywhere(email);
      console.log(`${email}: every session ended; the account must sign in again.`);
      break;
    case "block":
    case "unblock": {
      if (!email) fail(`${command} needs an email.\n${USAGE}`, 2);
      const r = await users.setBlocked(email, command === "block");
      console.log(`${email}: ${r.changed ? (command === "block" ? "blocked and signed out" : "unblocked") : `already ${command}ed`}.`);
      break;
    }
    case "link": {
      if (!email) fail(`link needs an email.\n${USAGE}`, 2);
      const r = await users.verificationLink(email);
      console.log(`Verification link for ${email} (valid until ${r.expiresAt.toISOString()}, single use):\n${r.link}`);
      break;
    }
    default:
      fail(command ? `Unknown command "${command}".\n${USAGE}` : USAGE, 2);
  }
} catch (err) {
  // Expected problems (unknown account) as one line; anything else too, without a stack.
  process.exitCode = 1;
  console.error(err instanceof users.UserCommandError ? err.message : `users ${command} failed: ${(err as Error).message}`);
} finally {
  await disconnectDb();
}
