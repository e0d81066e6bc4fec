/**
 * next-auth configuration. GitHub and Google sign-in turn on when their env credentials are set;
 * email + password always works, offline (the test suite and air-gapped self-hosts use it).
 *
 * The JWT only names the account and the sessionVersion it was issued under: roles and blocks are
 * read from the database per request (lib/auth/session.ts). ADMIN_EMAILS / MAINTAINER_EMAILS
 * apply on sign-in only to an address the provider vouches for or the owner verified
 * (lib/auth/env-roles.ts). Email + password sign-in is throttled per account and per IP
 * (lib/auth/throttle.ts) and costs the same for unknown addresses.
 */
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter } from "next-auth/adapters";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIpFromHeaders, hashIp } from "@/lib/api/request";
import { hashPassword, verifyPassword } from "./password";
import { applyEnvRole } from "./env-roles";
import { fetchGithubEmails, verifiedOAuthEmail } from "./oauth-email";
import { safeAuthRedirect } from "./safe-redirect";
import { recordSigninFailure, signinAllowed } from "./throttle";
import { SIGNIN_ERRORS } from "./signin-errors";

export function oauthProviders(): { id: string; name: string }[] {
  const env = getEnv();
  return [
    ...(env.GITHUB_ID && env.GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(env.GOOGLE_ID && env.GOOGLE_SECRET ? [{ id: "google", name: "Google" }] : []),
  ];
}

type HeaderBag = Record<string, string | string[] | undefined> | undefined;
const header = (headers: HeaderBag, name: string) => {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Email + password: throttled, same work and answer whether or not the account exists. */
async function authorize(credentials: Record<string, string> | undefined, headers: HeaderBag) {
  const email = credentials?.email?.trim().toLowerCase() ?? "";
  const password = credentials?.password ?? "";
  if (!email || !password || email.length > 254 || password.length > 200) return null;
  const ipHash = hashIp(clientIpFromHeaders((n) => header(headers, n)));
  const gate = await signinAllowed(email, ipHash);
  // next-auth hands a thrown message to the sign-in form as its `error` (components/auth).
  if (!gate.allowed) throw new Error(`${SIGNIN_ERRORS.throttled}:${gate.retryAfterSec}`);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true, blockedAt: true, anonymous: true } });
  const check = await verifyPassword(password, user && !user.anonymous ? user.passwordHash : null);
  if (!user || !check.ok) {
    await recordSigninFailure(email, ipHash);
    return null;
  }
  // Said only to someone who knows the password, so it tells an outsider nothing.
  if (user.blockedAt) throw new Error(SIGNIN_ERRORS.blocked);
  if (check.rehash) await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return { id: user.id, email: user.email, name: user.name };
}

/** The address this sign-in proves, if any: verified earlier (credentials) or vouched for now (OAuth). */
async function provenEmail(userId: string, provider: string | undefined, accessToken: string | undefined, profile: unknown): Promise<string | null> {
  const row = await db().user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!row?.email) return null;
  if (provider === "credentials") return row.emailVerified ? row.email : null;
  if (!provider) return null;
  const githubEmails = provider === "github" ? await fetchGithubEmails(accessToken) : null;
  const proven = verifiedOAuthEmail({ provider, email: row.email, profile: profile as Record<string, unknown> | null, githubEmails });
  if (proven && !row.emailVerified) await db().user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
  return proven;
}

let cached: NextAuthOptions | null = null;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  cached = {
    secret: env.AUTH_SECRET,
    // Credentials sign-in requires JWT sessions; OAuth accounts still live in the database.
    session: { strategy: "jwt" },
    adapter: PrismaAdapter(db()) as Adapter,
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorize(credentials, req?.headers as HeaderBag),
      }),
      ...(env.GITHUB_ID && env.GITHUB_SECRET ? [GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET })] : []),
      ...(env.GOOGLE_ID && env.GOOGLE_SECRET ? [GoogleProvider({ clientId: env.GOOGLE_ID, clientSecret: env.GOOGLE_SECRET })] : []),
    ],
    callbacks: {
      async signIn({ user }) {
        // Blocked accounts stay out whichever way they come (credentials refuse in authorize).
        if (!user.email) return true;
        const row = await db().user.findUnique({ where: { email: user.email.toLowerCase() }, select: { blockedAt: true } });
        return !row?.blockedAt;
      },
      async jwt({ token, user, account, profile }) {
        if (user) {
          token.uid = user.id;
          const row = await db().user.findUnique({ where: { id: user.id }, select: { sessionVersion: true } });
          token.sv = row?.sessionVersion ?? 0;
          const proven = await provenEmail(user.id, account?.provider, account?.access_token, profile);
          if (proven) await applyEnvRole(user.id, proven);
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) session.user.id = String(token.uid ?? "");
        session.sv = token.sv ?? 0;
        return session;
      },
      redirect: async (params) => safeAuthRedirect(params),
    },
  };
  return cached;
}
