export { sha256 } from "./bytes.ts";
export { newIdentitySecret, signUserId, verifyUserHash } from "./identity.ts";
export { hashPassword, PASSWORD_ITERATIONS, verifyNoPassword, verifyPassword } from "./password.ts";
export { type PointerClaims, signPointerToken, verifyPointerToken } from "./pointer.ts";
export {
  createSignInAttempts,
  SIGN_IN_FAILURES_ALLOWED,
  SIGN_IN_WINDOW_MS,
} from "./sign-in-attempts.ts";
export {
  SITE_TOKEN_MS,
  type SiteAction,
  type SiteTokenClaims,
  signSiteToken,
  verifySiteToken,
} from "./site-tokens.ts";
export {
  randomId,
  SESSION_TTL_MS,
  type SessionClaims,
  signToken,
  TOKEN_PROBLEM_MESSAGES,
  type TokenProblem,
  verifyToken,
} from "./token.ts";
