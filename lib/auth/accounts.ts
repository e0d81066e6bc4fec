/**
 * Email + password registration. The answer, and the work behind it, is the same whether or not
 * the address already has an account: a password is hashed either way (scrypt dominates the time),
 * and mail goes out after the response. What differs is only what the mailbox receives: a new or
 * still unverified account gets a verification link (the mailbox owner then settles the password,
 * lib/auth/verification.ts); a verified one gets nothing.
 */
import "server-only";
import { db, Prisma } from "@/lib/db";
import { logger } from "@/lib/log";
import { hashPassword } from "@/lib/auth/password";
import { issueVerificationLink } from "@/lib/auth/verification";
import { sendVerificationLink } from "@/lib/auth/mailer";
import { mayMail } from "@/lib/auth/throttle";

const log = logger("accounts");

export const REGISTERED_MESSAGE =
  "If this address can be registered, a confirmation link is on its way to it. Until it is confirmed the account votes like any visitor.";

export async function registerAccount(input: { email: string; password: string; name?: string }): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const existing = await db().user.findUnique({ where: { email: input.email }, select: { emailVerified: true } });
  let verified = existing?.emailVerified != null;
  if (!existing) {
    try {
      await db().user.create({ data: { email: input.email, name: input.name || null, passwordHash } });
    } catch (err) {
      // A concurrent registration of the same address won: answer as for any existing account.
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) throw err;
      verified = (await db().user.findUnique({ where: { email: input.email }, select: { emailVerified: true } }))?.emailVerified != null;
    }
  }
  if (!verified) void mailLink(input.email);
}

async function mailLink(email: string): Promise<void> {
  try {
    if (!(await mayMail(email))) {
      log.warn(`verification mail to ${email} skipped: this address already got its share this hour`);
      return;
    }
    const issued = await issueVerificationLink(email);
    if (issued) await sendVerificationLink(email, issued.link);
  } catch (err) {
    log.error(`verification mail to ${email} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
