/**
 * next-auth configuration. GitHub and Google sign-in turn on when their env credentials are set;
 * email + password always works, offline (the test suite and air-gapped self-hosts use it).
 * Roles: ADMIN_EMAILS and MAINTAINER_EMAILS (comma-separated) promote accounts when they sign in.
 */
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter } from "next-auth/adapters";
import { db, type Role } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { verifyPassword } from "./password";

function listed(list: string | undefined, email: string | null | undefined): boolean {
  if (!email) return false;
  return (list ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .includes(email.toLowerCase());
}

/** The role env grants this email, or null to keep the stored one. */
export function roleFromEnv(email: string | null | undefined): Role | null {
  const env = getEnv();
  if (listed(env.ADMIN_EMAILS, email)) return "admin";
  if (listed(env.MAINTAINER_EMAILS, email)) return "maintainer";
  return null;
}

export function oauthProviders(): { id: string; name: string }[] {
  const env = getEnv();
  return [
    ...(env.GITHUB_ID && env.GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(env.GOOGLE_ID && env.GOOGLE_SECRET ? [{ id: "google", name: "Google" }] : []),
  ];
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
        async authorize(credentials) {
          const email = credentials?.email?.trim().toLowerCase();
          if (!email || !credentials?.password) return null;
          const user = await db().user.findUnique({ where: { email } });
          if (!user || !(await verifyPassword(credentials.password, user.passwordHash))) return null;
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...(env.GITHUB_ID && env.GITHUB_SECRET ? [GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET })] : []),
      ...(env.GOOGLE_ID && env.GOOGLE_SECRET ? [GoogleProvider({ clientId: env.GOOGLE_ID, clientSecret: env.GOOGLE_SECRET })] : []),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          const granted = roleFromEnv(user.email);
          const row = granted
            ? await db().user.update({ where: { id: user.id }, data: { role: granted }, select: { role: true } })
            : await db().user.findUnique({ where: { id: user.id }, select: { role: true } });
          token.role = row?.role ?? "voter";
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = String(token.uid ?? "");
          session.user.role = (token.role as Role | undefined) ?? "voter";
        }
        return session;
      },
    },
  };
  return cached;
}
