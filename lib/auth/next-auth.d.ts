import type { DefaultSession } from "next-auth";

// The session only names the account (and the sessionVersion it was issued under); the role and
// everything else is read from the database per request (lib/auth/session.ts).
declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string };
    sv?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    sv?: number;
  }
}
