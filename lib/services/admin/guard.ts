/**
 * The one admin gate. Pages call `adminPageUser()` (through app/admin/layout.tsx): anonymous
 * visitors are redirected to sign-in, other accounts get `null` and see the admins-only screen.
 * Route handlers are wrapped in `adminRoute()`, which answers 401/403 before reading the body, so
 * a voter learns nothing about an action's input from its validation errors.
 */
import "server-only";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { currentUser, hasRole, requireRole, type SignedInUser } from "@/lib/auth/session";
import { apiRoute, errorResponse, type HandlerContext } from "@/lib/api/handler";
import type { z } from "zod";

export async function adminPageUser(callbackUrl = "/admin"): Promise<{ user: SignedInUser; admin: boolean }> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return { user, admin: hasRole(user, "admin") };
}

interface AdminSpec<B, Q, P> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  handler: (ctx: HandlerContext<B, Q, P> & { admin: SignedInUser }) => Promise<Response>;
}

export function adminRoute<B = undefined, Q = undefined, P = Record<string, string>>(spec: AdminSpec<B, Q, P>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    let admin: SignedInUser;
    try {
      admin = await requireRole("admin");
    } catch (err) {
      return errorResponse(err);
    }
    return apiRoute<B, Q, P>({ body: spec.body, query: spec.query, handler: (c) => spec.handler({ ...c, admin }) })(req, ctx);
  };
}
