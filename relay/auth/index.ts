export { sha256 } from "./bytes.ts";
export { newIdentitySecret, signUserId, verifyUserHash } from "./identity.ts";
export { hashPassword, PASSWORD_ITERATIONS, verifyNoPassword, verifyPassword } from "./password.ts";
export { type PointerClaims, signPointerToken, verifyPointerToken } from "./pointer.ts";
export {
  randomId,
  SESSION_TTL_MS,
  type SessionClaims,
  signToken,
  TOKEN_PROBLEM_MESSAGES,
  type TokenProblem,
  verifyToken,
} from "./token.ts";
