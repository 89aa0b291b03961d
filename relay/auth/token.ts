import * as v from "valibot";
import { fromBase64Url, hmacKey, toBase64Url, utf8 } from "./bytes.ts";

/** How long an agent session lasts: a working week, so the console survives the weekend. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * What an agent session token asserts. `exp` is in ms since the epoch, like every relay time.
 * Not the agent's role: an admin may change it during the session, so the site room reads it.
 */
export type SessionClaims = {
  agentId: string;
  siteId: string;
  exp: number;
  /** Unique token id: logout revokes it. */
  jti: string;
};

const ClaimsSchema = v.object({
  agentId: v.string(),
  siteId: v.string(),
  exp: v.number(),
  jti: v.string(),
});

function tokenKey(secret: string): Promise<CryptoKey> {
  if (!secret) throw new Error("PARLEY_SECRET is empty: agent tokens cannot be signed");
  return hmacKey(secret);
}

/** A random id for `jti`: 128 bits, URL-safe. */
export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Signs claims: `base64url(JSON claims).base64url(HMAC-SHA256)`. `purpose` separates the keys
 * of different kinds of token (sessions, pointers), so one kind can never pass for another.
 */
export async function signClaims(secret: string, claims: object, purpose = ""): Promise<string> {
  const payload = toBase64Url(utf8(JSON.stringify(claims)));
  const key = await tokenKey(purpose ? `${secret}\n${purpose}` : secret);
  const signature = await crypto.subtle.sign("HMAC", key, utf8(payload));
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/**
 * Signs session claims.
 * @example const token = await signToken(env.PARLEY_SECRET, { agentId, siteId, exp, jti: randomId() })
 */
export function signToken(secret: string, claims: SessionClaims): Promise<string> {
  return signClaims(secret, claims);
}

/** Why a token was refused. */
export type TokenProblem = "malformed" | "bad_signature" | "expired";

/** What to tell a client whose token was refused for `problem`. */
export const TOKEN_PROBLEM_MESSAGES: Record<TokenProblem, string> = {
  malformed: "Invalid session token",
  bad_signature: "Invalid session token",
  expired: "The session has expired: sign in again",
};

/**
 * The claims of a token signed by {@link signClaims} for `purpose` that `schema` accepts and
 * whose `exp` has not passed, or why not.
 */
export async function verifyClaims<T extends { exp: number }>(
  secret: string,
  token: string,
  schema: v.GenericSchema<unknown, T>,
  purpose = "",
  now: number = Date.now(),
): Promise<{ ok: true; claims: T } | { ok: false; problem: TokenProblem }> {
  const [payload, signatureText, ...rest] = token.split(".");
  if (!payload || !signatureText || rest.length > 0) return { ok: false, problem: "malformed" };
  const signature = fromBase64Url(signatureText);
  if (!signature) return { ok: false, problem: "malformed" };
  // crypto.subtle.verify compares in constant time.
  const key = await tokenKey(purpose ? `${secret}\n${purpose}` : secret);
  const valid = await crypto.subtle.verify("HMAC", key, signature, utf8(payload));
  if (!valid) return { ok: false, problem: "bad_signature" };
  const bytes = fromBase64Url(payload);
  let parsed: unknown;
  try {
    parsed = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  } catch {
    return { ok: false, problem: "malformed" };
  }
  const claims = v.safeParse(schema, parsed);
  if (!claims.success) return { ok: false, problem: "malformed" };
  if (claims.output.exp <= now) return { ok: false, problem: "expired" };
  return { ok: true, claims: claims.output };
}

/**
 * The claims of a session token this relay signed that has not expired, or why not.
 * Revocation is the caller's check: it needs the site's storage.
 * @example const checked = await verifyToken(env.PARLEY_SECRET, token); if (checked.ok) use(checked.claims)
 */
export function verifyToken(
  secret: string,
  token: string,
  now: number = Date.now(),
): Promise<{ ok: true; claims: SessionClaims } | { ok: false; problem: TokenProblem }> {
  return verifyClaims(secret, token, ClaimsSchema, "", now);
}
