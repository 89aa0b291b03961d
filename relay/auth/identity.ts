/**
 * Identity verification for logged-in users of a host site, as Intercom and Chatwoot do it: the
 * host's server signs its user id with the site's identity secret, and the widget passes the
 * signature along with `identify`. WebCrypto only, so it runs in Workers.
 */
import { equalBytes, hmacKey, utf8 } from "./bytes.ts";

/** A new identity secret: 256 random bits, hex. */
export function newIdentitySecret(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * `hex(HMAC-SHA256(secret, userId))`: what the host's server computes. In Node:
 * `createHmac("sha256", secret).update(userId).digest("hex")`.
 * @example const userHash = await signUserId(site.identitySecret, "user-42")
 */
export async function signUserId(secret: string, userId: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), utf8(userId));
  return toHex(new Uint8Array(signature));
}

/**
 * Whether `userHash` signs `userId` under `secret` (hex, either case); compared in constant time.
 * @example if (await verifyUserHash(secret, event.userId, event.userHash)) contact.verified = true
 */
export async function verifyUserHash(
  secret: string,
  userId: string,
  userHash: string,
): Promise<boolean> {
  const expected = await signUserId(secret, userId);
  return equalBytes(utf8(expected), utf8(userHash.toLowerCase()));
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
