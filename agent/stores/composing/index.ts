import { sendFrame } from "../connection/index.ts";

/** While composing, `typing: true` is repeated this often so a late joiner still sees it. */
export const TYPING_REPEAT_MS = 3_000;
/** With no keystroke for this long, composing has stopped. */
export const TYPING_IDLE_MS = 5_000;

type Composing = { sentAt: number; idle: ReturnType<typeof setTimeout> };
const composing = new Map<string, Composing>();

/**
 * The agent typed in a chat's composer: tells the relay `typing: true`, at most once per
 * {@link TYPING_REPEAT_MS}, and `typing: false` after {@link TYPING_IDLE_MS} without keys.
 *
 * @example <textarea onInput={() => noteComposing(chatId)} />
 */
export function noteComposing(chatId: string, now: number = Date.now()): void {
  const current = composing.get(chatId);
  if (current) clearTimeout(current.idle);
  let sentAt = current?.sentAt ?? Number.NEGATIVE_INFINITY;
  if (now - sentAt >= TYPING_REPEAT_MS) {
    sendFrame({ type: "chat:typing", chatId, typing: true });
    sentAt = now;
  }
  composing.set(chatId, { sentAt, idle: setTimeout(() => stopComposing(chatId), TYPING_IDLE_MS) });
}

/** Composing stopped (sent, emptied, switched away): tells the relay, if it was told it began. */
export function stopComposing(chatId: string): void {
  const current = composing.get(chatId);
  if (!current) return;
  clearTimeout(current.idle);
  composing.delete(chatId);
  sendFrame({ type: "chat:typing", chatId, typing: false });
}
