import { equalBytes, fromBase64Url, toBase64Url, utf8 } from "./bytes.ts";

/**
 * PBKDF2 rounds. Workers refuse more than 100,000, and the same hashes must verify on both
 * hosts, so this is the ceiling and the default.
 */
export const PASSWORD_ITERATIONS = 100_000;

const scheme = "pbkdf2-sha256";
const saltBytes = 16;
const hashBits = 256;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const key = await crypto.subtle.importKey("raw", utf8(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    hashBits,
  );
  return new Uint8Array(bits);
}

/**
 * Hashes a password with PBKDF2-SHA256 and a random salt. The result names its scheme and
 * rounds, so stored hashes keep verifying if the defaults change.
 * @example await hashPassword("parley-demo") // "pbkdf2-sha256$100000$<salt>$<hash>"
 */
export async function hashPassword(
  password: string,
  iterations: number = PASSWORD_ITERATIONS,
): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PASSWORD_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1 to ${PASSWORD_ITERATIONS}`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(saltBytes));
  const hash = await derive(password, salt, iterations);
  return `${scheme}$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/**
 * Whether `password` matches a hash made by {@link hashPassword}. A malformed hash never matches.
 * @example if (await verifyPassword(body.password, agent.passwordHash)) signIn(agent)
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [name, rounds, saltText, hashText, ...rest] = stored.split("$");
  if (name !== scheme || rest.length > 0 || !rounds || !saltText || !hashText) return false;
  const iterations = Number(rounds);
  const salt = fromBase64Url(saltText);
  const expected = fromBase64Url(hashText);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PASSWORD_ITERATIONS) {
    return false;
  }
  if (!salt || !expected) return false;
  return equalBytes(await derive(password, salt, iterations), expected);
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time of one password check without an account, so a login for an unknown email
 * takes as long as a wrong password and does not reveal which emails have accounts.
 */
export async function verifyNoPassword(password: string): Promise<false> {
  decoy ??= hashPassword("parley-decoy-password");
  await verifyPassword(password, await decoy);
  return false;
}
