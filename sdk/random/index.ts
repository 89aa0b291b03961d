const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/**
 * Random bytes from the platform's CSPRNG. `crypto.getRandomValues` is missing or throws only in
 * very old or sandboxed browsers; there ids need to be unique, not secret, so Math.random will do.
 */
const randomBytes = (size: number): Uint8Array => {
  const bytes = new Uint8Array(size);
  try {
    crypto.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < size; i++) bytes[i] = Math.random() * 256;
  }
  return bytes;
};

/**
 * A random URL-safe id (A-Z, a-z, 0-9, `_`, `-`): 21 characters carry 126 bits, as nanoid.
 * @example randomId() // "V1StGXR8_Z5jdHi6B-myT"
 */
export const randomId = (size = 21): string =>
  Array.from(randomBytes(size), (byte) => ALPHABET[byte & 63]).join("");
