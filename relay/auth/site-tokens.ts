/**
 * Site tokens: what lets the `npm run site` command create a site on a running relay
 * (`POST /api/sites`) or delete one (`DELETE /api/sites`). Whoever holds the relay's secret
 * signs one; it names the one site and the one action it allows, and works for SITE_TOKEN_MS,
 * under a key of its own for each action (derived from the secret), so it can never pass for
 * the other action, a session or a pointer token. The secret itself never travels.
 */
import * as v from "valibot";
import { signClaims, type TokenProblem, verifyClaims } from "./token.ts";

/** How long a site token works: enough for one command to reach the relay. */
export const SITE_TOKEN_MS = 60_000;

/** What a site token asserts; `exp` in ms since the epoch. */
export type SiteTokenClaims = { siteId: string; exp: number };

const SiteTokenClaimsSchema = v.object({ siteId: v.string(), exp: v.number() });

/** What a site token allows, and the purpose its key is derived for. */
const PURPOSES = { setup: "site-setup", deletion: "site-deletion" } as const;
export type SiteAction = keyof typeof PURPOSES;

/**
 * A token that lets its bearer `action` (create or delete) the site `siteId`, from `now` for
 * SITE_TOKEN_MS.
 * @example const token = await signSiteToken(process.env.PARLEY_SECRET, "shop", "setup")
 */
export function signSiteToken(
  secret: string,
  siteId: string,
  action: SiteAction,
  now: number = Date.now(),
): Promise<string> {
  return signClaims(secret, { siteId, exp: now + SITE_TOKEN_MS }, PURPOSES[action]);
}

/**
 * The claims of a token for `action` signed with this relay's secret that has not expired, or
 * why not.
 * @example const checked = await verifySiteToken(env.PARLEY_SECRET, token, "setup"); if (checked.ok && checked.claims.siteId === site.id) ...
 */
export function verifySiteToken(
  secret: string,
  token: string,
  action: SiteAction,
  now: number = Date.now(),
): Promise<{ ok: true; claims: SiteTokenClaims } | { ok: false; problem: TokenProblem }> {
  return verifyClaims(secret, token, SiteTokenClaimsSchema, PURPOSES[action], now);
}
