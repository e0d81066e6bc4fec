/**
 * Verification mail. With SMTP_URL (a nodemailer URL, e.g. `smtps://user:pass@smtp.example:465`)
 * the link is mailed from MAIL_FROM; without it, the link is written to the web server's log
 * (stderr, so `npm run up` shows it too): enough for a self-host whose admin reads the log, and
 * `npm run users -- link <email>` prints a fresh one at any time.
 */
import "server-only";
import { createTransport, type Transporter } from "nodemailer";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

const log = logger("mail");
let transport: Transporter | null = null;

export async function sendVerificationLink(email: string, link: string): Promise<void> {
  const env = getEnv();
  if (!env.SMTP_URL) {
    // Warn level: this line is the delivery, so LOG_LEVEL=warn must not hide it.
    log.warn(`SMTP_URL is not set; verification link for ${email}: ${link}`);
    return;
  }
  transport ??= createTransport(env.SMTP_URL);
  await transport.sendMail({
    from: env.MAIL_FROM,
    to: email,
    subject: "Confirm your email for 3DCodeArena",
    text: [
      "Someone (hopefully you) created a 3DCodeArena account with this address.",
      "",
      `Confirm it within 24 hours: ${link}`,
      "",
      "If that was not you, ignore this mail: the account stays unconfirmed and has no staff rights.",
    ].join("\n"),
  });
  log.info(`verification mail sent to ${email}`);
}
