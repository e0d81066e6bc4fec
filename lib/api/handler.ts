/**
 * The one wrapper for every route handler (house rules §6). A route declares what it needs and the
 * wrapper does it, in this order, before the handler runs:
 *
 * 1. state-changing methods: refuse cross-site requests and non-JSON bodies (lib/api/cross-site.ts);
 * 2. `role`: 401 signed out, 403 too low, checked before the body is read, so a voter learns
 *    nothing about an action's input from its validation errors;
 * 3. `params` / `body` / `query`: zod schemas (bad path params are 404, bad input 422); the body is
 *    streamed under `maxBodyBytes` (413 past it);
 * 4. `voter`: "optional" resolves the cookie or session voter, "create" also creates an anonymous
 *    voter (itself rate-limited per IP, lib/battles/voter.ts);
 * 5. `rateLimit`: per-voter and per-IP limits for that action (429 + Retry-After).
 *
 * Errors leave through the closed contract: ApiError as is, Prisma's unique violation (P2002) as
 * 409 and record-not-found (P2025) as 404, anything else as a logged 500 without its text.
 *
 * Modules that need a request context (`server-only`: session, voter, rate limits) are imported
 * on use, so routes that need none of them also run in plain Node (tests call handlers directly).
 * Each is imported once per process (the promise is kept): under the tsx loader every `import()`,
 * even of a module already loaded, is a round trip to the loader's thread, and per request that
 * was about a tenth of a battle's or vote's CPU in the web process (profile, README).
 */
import { NextResponse, type NextRequest } from "next/server";
import { unstable_rethrow } from "./next-control";
import type { z } from "zod";
import { Prisma, type Role } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import type { SignedInUser } from "@/lib/auth/session";
import type { Voter } from "@/lib/battles/voter";
import { ApiError } from "./errors";
import { readJsonBody } from "./body";
import { assertNotCrossSite } from "./cross-site";
import { requestCookieJar, withSetCookies } from "./cookies";
import { clientIp, hashIp, isHttps } from "./request";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { LimitedAction } from "./rate-limit";

const log = logger("api");

export type VoterMode = "create" | "optional";
type Schema = z.ZodType;
type Out<S, Else = undefined> = S extends Schema ? z.output<S> : Else;
type RawParams = Record<string, string | string[]>;

export interface HandlerContext<B, Q, P> {
  req: NextRequest;
  body: B;
  query: Q;
  params: P;
  /** The client address the web server entry vouched for (lib/web/forwarded.ts), and its hash. */
  ip: string | null;
  ipHash: string | null;
}

type UserPart<R> = R extends Role ? { user: SignedInUser } : unknown;
type VoterPart<V> = V extends "create" ? { voter: Voter } : V extends "optional" ? { voter: Voter | null } : unknown;

export interface RouteSpec<ZB, ZQ, ZP, R, V> {
  /** Minimum role of a signed-in account. */
  role?: R;
  voter?: V;
  rateLimit?: LimitedAction;
  body?: ZB;
  query?: ZQ;
  params?: ZP;
  /** Body size cap in bytes; default lib/api/body.ts DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  handler: (ctx: HandlerContext<Out<ZB>, Out<ZQ>, Out<ZP, RawParams>> & UserPart<R> & VoterPart<V>) => Promise<Response>;
}

let sessionModule: Promise<typeof import("@/lib/auth/session")> | undefined;
let voterModule: Promise<typeof import("@/lib/battles/voter")> | undefined;
let rateLimitModule: Promise<typeof import("./rate-limit")> | undefined;

function parse<S extends Schema>(schema: S, value: unknown, code: "unprocessable" | "not_found", where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  if (code === "not_found") throw new ApiError("not_found", "Nothing exists at this address.");
  throw new ApiError("unprocessable", parsed.error.issues.map((i) => `${i.path.join(".") || where}: ${i.message}`).join("; "));
}

export function apiRoute<
  ZB extends Schema | undefined = undefined,
  ZQ extends Schema | undefined = undefined,
  ZP extends Schema | undefined = undefined,
  R extends Role | undefined = undefined,
  V extends VoterMode | undefined = undefined,
>(spec: RouteSpec<ZB, ZQ, ZP, R, V>) {
  return async (req: NextRequest, ctx: { params: Promise<RawParams> }): Promise<Response> => {
    const jar = requestCookieJar(req.headers);
    try {
      assertNotCrossSite(req, { expectsBody: spec.body !== undefined, siteUrl: getEnv().NEXTAUTH_URL });
      const user = spec.role ? await (await (sessionModule ??= import("@/lib/auth/session"))).requireRole(spec.role) : null;
      const rawParams = (ctx?.params ? await ctx.params : {}) as RawParams;
      const params = spec.params ? parse(spec.params, rawParams, "not_found", "params") : rawParams;
      const body = spec.body ? parse(spec.body, await readJsonBody(req, spec.maxBodyBytes), "unprocessable", "body") : undefined;
      const query = spec.query ? parse(spec.query, Object.fromEntries(req.nextUrl.searchParams), "unprocessable", "query") : undefined;
      const ip = clientIp(req);
      // Only when something uses it (a keyed hash per request is not free); the handler's
      // ctx.ipHash computes it on first read.
      let ipHashMemo: string | null | undefined;
      const ipHashOf = () => (ipHashMemo === undefined ? (ipHashMemo = hashIp(ip)) : ipHashMemo);
      let voter: Voter | null = null;
      if (spec.voter) {
        const { currentVoter } = await (voterModule ??= import("@/lib/battles/voter"));
        voter = await currentVoter({ create: spec.voter === "create", secure: isHttps(req), ipHash: ipHashOf(), jar });
      }
      if (spec.rateLimit) {
        const { enforceRateLimit } = await (rateLimitModule ??= import("./rate-limit"));
        await enforceRateLimit(spec.rateLimit, { voterId: voter?.id ?? user?.id ?? null, ipHash: ipHashOf() });
      }
      const full = {
        req,
        body,
        query,
        params,
        ip,
        get ipHash() {
          return ipHashOf();
        },
        user,
        voter,
      };
      return withSetCookies(await spec.handler(full as unknown as Parameters<typeof spec.handler>[0]), jar.setCookies);
    } catch (err) {
      unstable_rethrow(err);
      // A voter created before a later step refused (a rate limit, a bad token) keeps its cookie.
      return withSetCookies(errorResponse(err), jar.setCookies);
    }
  };
}

export function errorResponse(err: unknown): Response {
  let e = err;
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") e = new ApiError("conflict", "This already exists.");
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") e = new ApiError("not_found", "This does not exist (any more).");
  if (isDatabaseUnavailable(err)) {
    log.warn(`database unavailable: ${err instanceof Error ? err.message.split("\n").at(-1) : String(err)}`);
    e = new ApiError("unavailable", "The database is not answering right now. Please try again in a few seconds.", { "Retry-After": "5" });
  }
  if (e instanceof ApiError) {
    return NextResponse.json({ ...e.extra, error: { code: e.code, message: e.message } }, { status: e.status, headers: e.headers });
  }
  log.error(`unexpected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } }, { status: 500 });
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return NextResponse.json(data, { status, headers });
}
