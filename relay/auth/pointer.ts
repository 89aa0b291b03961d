/**
 * Pointer tokens: what lets the picker run in the console's frame of a visitor's page. The
 * relay signs one for a signed-in agent (`POST /api/pointer`); it names the site, the visitor
 * (the chat) and the agent, and works for POINTER_TOKEN_MS. It is signed under its own
 * key (derived from the deployment secret), so it can never pass for a session token.
 */
import * as v from "valibot";
import { POINTER_TOKEN_MS } from "../../protocol/index.ts";
import { signClaims, type TokenProblem, verifyClaims } from "./token.ts";

/** What a pointer token asserts; `exp` in ms since the epoch. */
export type PointerClaims = { siteId: string; visitorId: string; agentId: string; exp: number };

const PointerClaimsSchema = v.object({
  siteId: v.string(),
  visitorId: v.string(),
  agentId: v.string(),
  exp: v.number(),
});

const PURPOSE = "pointer";

/**
 * A pointer token for `claims` without `exp`, working from `now` for POINTER_TOKEN_MS.
 * @example const { token, expiresAt } = await signPointerToken(env.PARLEY_SECRET, { siteId, visitorId, agentId })
 */
export async function signPointerToken(
  secret: string,
  claims: Omit<PointerClaims, "exp">,
  now: number = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const exp = now + POINTER_TOKEN_MS;
  return { token: await signClaims(secret, { ...claims, exp }, PURPOSE), expiresAt: exp };
}

/**
 * The claims of a pointer token this relay signed that has not expired, or why not.
 * @example const checked = await verifyPointerToken(env.PARLEY_SECRET, token); if (checked.ok && checked.claims.siteId === site) ...
 */
export function verifyPointerToken(
  secret: string,
  token: string,
  now: number = Date.now(),
): Promise<{ ok: true; claims: PointerClaims } | { ok: false; problem: TokenProblem }> {
  return verifyClaims(secret, token, PointerClaimsSchema, PURPOSE, now);
}
