/**
 * A fresh client-made id (messages the console sends, toasts), wrapped once: `crypto.randomUUID`
 * needs a secure context, so plain-http deployments fall back to `getRandomValues`, and a
 * browser without either to `Math.random` (ids only need to be unique, not secret).
 *
 * @example sendFrame({ type: "chat:send", chatId, id: newId(), text });
 */
export function newId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") {
    try {
      return crypto.randomUUID();
    } catch {
      // Not a secure context: fall through.
    }
  }
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
