/**
 * One wrapper for every route handler: parses the body/query with zod, resolves the voter when
 * asked, maps ApiError to the closed contract, and never leaks an unexpected error's text.
 */
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { ApiError } from "./errors";
import { logger } from "@/lib/log";

const log = logger("api");

export interface HandlerContext<B, Q, P> {
  req: NextRequest;
  body: B;
  query: Q;
  params: P;
}

interface Spec<B, Q, P> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  handler: (ctx: HandlerContext<B, Q, P>) => Promise<Response>;
}

function issuesMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

export function apiRoute<B = undefined, Q = undefined, P = Record<string, string>>(spec: Spec<B, Q, P>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      let body = undefined as B;
      if (spec.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          throw new ApiError("unprocessable", "The request body must be JSON.");
        }
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw new ApiError("unprocessable", issuesMessage(parsed.error));
        body = parsed.data;
      }
      let query = undefined as Q;
      if (spec.query) {
        const parsed = spec.query.safeParse(Object.fromEntries(req.nextUrl.searchParams));
        if (!parsed.success) throw new ApiError("unprocessable", issuesMessage(parsed.error));
        query = parsed.data;
      }
      const params = ctx?.params ? await ctx.params : ({} as P);
      return await spec.handler({ req, body, query, params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function errorResponse(err: unknown): Response {
  if (err instanceof ApiError) {
    return NextResponse.json({ error: { code: err.code, message: err.message } }, { status: err.status, headers: err.headers });
  }
  log.error(`unexpected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } }, { status: 500 });
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return NextResponse.json(data, { status, headers });
}
