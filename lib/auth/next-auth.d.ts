import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/db";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string; role: Role };
  }
}
