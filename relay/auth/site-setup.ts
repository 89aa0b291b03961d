/**
 * Site setup tokens: what lets the `npm run site -- --relay` command create a site on a running
 * relay (`POST /api/sites`). Whoever holds the relay's secret signs one; it names the one site
 * it may create and works for SITE_SETUP_TOKEN_MS, under a key of its own (derived from the
 * secret), so it can never pass for a session or a pointer token. The secret itself never
 * travels.
 */
import * as v from "valibot";
import { signClaims, type TokenProblem, verifyClaims } from "./token.ts";

/** How long a setup token works: enough for one command to reach the relay. */
export const SITE_SETUP_TOKEN_MS = 60_000;

/** What a setup token asserts; `exp` in ms since the epoch. */
export type SiteSetupClaims = { siteId: string; exp: number };

const SiteSetupClaimsSchema = v.object({ siteId: v.string(), exp: v.number() });

const PURPOSE = "site-setup";

/**
 * A token that lets its bearer create the site `siteId`, from `now` for SITE_SETUP_TOKEN_MS.
 * @example const token = await signSiteSetupToken(process.env.PARLEY_SECRET, "shop")
 */
export function signSiteSetupToken(
  secret: string,
  siteId: string,
  now: number = Date.now(),
): Promise<string> {
  return signClaims(secret, { siteId, exp: now + SITE_SETUP_TOKEN_MS }, PURPOSE);
}

/**
 * The claims of a setup token signed with this relay's secret that has not expired, or why not.
 * @example const checked = await verifySiteSetupToken(env.PARLEY_SECRET, token); if (checked.ok && checked.claims.siteId === site.id) ...
 */
export function verifySiteSetupToken(
  secret: string,
  token: string,
  now: number = Date.now(),
): Promise<{ ok: true; claims: SiteSetupClaims } | { ok: false; problem: TokenProblem }> {
  return verifyClaims(secret, token, SiteSetupClaimsSchema, PURPOSE, now);
}
