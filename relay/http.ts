/**
 * HTTP helpers for rooms: JSON answers, `{error, message}` bodies, capped and validated request
 * bodies, bearer tokens. Fetch API only, so they run on both hosts.
 */
import type * as v from "valibot";
import { BODY_BYTES, type HttpError } from "../protocol/index.ts";
import { validate } from "./guard.ts";
import { log } from "./log.ts";

/**
 * A JSON response.
 * @example return json({ created: true }, 201)
 */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * An error response with the body every HTTP error has.
 * @example return httpError(404, "not_found", "No such route")
 */
export function httpError(
  status: number,
  error: string,
  message: string,
  headers: HeadersInit = {},
): Response {
  return json({ error, message } satisfies HttpError, status, headers);
}

/**
 * 429 for a caller that failed too often: `what` says what (the minutes to wait follow), and
 * `Retry-After` gives the seconds.
 * @example return tooManyFailures("Too many wrong passwords", attempts.waitFor(agentId))
 */
export function tooManyFailures(what: string, waitMs: number): Response {
  const minutes = Math.ceil(waitMs / 60_000);
  return httpError(
    429,
    "rate_limited",
    `${what}: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    { "retry-after": String(Math.ceil(waitMs / 1000)) },
  );
}

/** 405 with the methods the route takes. */
function methodNotAllowed(allowed: string[]): Response {
  return httpError(405, "method_not_allowed", `Use ${allowed.join(" or ")}`, {
    allow: allowed.join(", "),
  });
}

/**
 * Handlers by path, then by method; each gets the object that serves the request (a room, or a
 * part of one). One table per class, made once (a static field): no instance pays for it.
 */
export type Routes<Self> = Record<
  string,
  Record<string, (self: Self, request: Request) => Promise<Response>>
>;

/**
 * Hands `request` to its handler, with `self`: 404 for an unknown path, 405 for a method the
 * path lacks. With `logAs` (rooms that face the public), every 4xx answer is logged as a
 * refused input.
 * @example onRequest(request) { return route(DirectoryRoom.routes, this, request, { logAs: "directory/global" }); }
 */
export async function route<Self>(
  routes: Routes<Self>,
  self: Self,
  request: Request,
  options: { logAs?: string } = {},
): Promise<Response> {
  const { pathname } = new URL(request.url);
  const handlers = routes[pathname];
  const handler = handlers?.[request.method];
  const response = handler
    ? await handler(self, request)
    : handlers
      ? methodNotAllowed(Object.keys(handlers))
      : httpError(404, "not_found", `No route ${pathname}`);
  if (options.logAs && response.status >= 400 && response.status < 500) {
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as Partial<HttpError>;
    log.refused(options.logAs, body.error ?? "http", body.message ?? "", {
      method: request.method,
      path: pathname,
      status: response.status,
    });
  }
  return response;
}

/**
 * The routes of a part (such as a room's chat) as routes of its owner: each handler gets
 * `part(owner)`. Made once, in the owner's table, so no instance pays for it either.
 * @example static readonly routes: Routes<VisitorRoom> = { ...delegateRoutes(VisitorChat.routes, (room) => room.chat) };
 */
export function delegateRoutes<Owner, Part>(
  routes: Routes<Part>,
  part: (owner: Owner) => Part,
): Routes<Owner> {
  const delegated: Routes<Owner> = {};
  for (const [path, handlers] of Object.entries(routes)) {
    const methods: Routes<Owner>[string] = {};
    for (const [method, handler] of Object.entries(handlers)) {
      methods[method] = (owner, request) => handler(part(owner), request);
    }
    delegated[path] = methods;
  }
  return delegated;
}

/** Bodies of requests between rooms (a batch of chat messages) may be this large. */
export const INTERNAL_BODY_BYTES = 1024 * 1024;

/**
 * The request's JSON body checked by `schema`, or the error response to send: 413 over
 * `maxBytes` (BODY_BYTES unless given), 400 when it is not JSON or does not match.
 * @example const body = await readJsonBody(request, LoginBodySchema); if (!body.ok) return body.response;
 */
export async function readJsonBody<S extends v.GenericSchema>(
  request: Request,
  schema: S,
  { maxBytes = BODY_BYTES }: { maxBytes?: number } = {},
): Promise<{ ok: true; value: v.InferOutput<S> } | { ok: false; response: Response }> {
  const tooLarge = () => ({
    ok: false as const,
    response: httpError(413, "too_large", `Request bodies are limited to ${maxBytes} bytes`),
  });
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return tooLarge();
  const bytes = await readCappedBody(request, maxBytes);
  if (!bytes) return tooLarge();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, response: httpError(400, "bad_json", "The body must be JSON") };
  }
  const checked = validate(schema, parsed, "bad_frame");
  if (checked.ok) return { ok: true, value: checked.value };
  return { ok: false, response: httpError(400, "bad_body", checked.message) };
}

/**
 * The body's bytes, or null past `cap`: reading stops there, the rest is never read.
 * @example const bytes = await readCappedBody(request, UPLOAD_BYTES); if (!bytes) return tooLarge();
 */
export async function readCappedBody(
  request: Request,
  cap: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/**
 * A request to another room's internal route (see `RoomContext.fetchRoom`).
 * @example room.fetchRoom("site", siteId, internalRequest("POST", "/roster", { entry }))
 */
export function internalRequest(
  method: string,
  path: string,
  body?: unknown,
  headers: HeadersInit = {},
): Request {
  return new Request(`https://room${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
