import { atom } from "nanostores";
import type { ChatFile } from "../../../protocol/chat.ts";
import type { PointerTarget } from "../../../protocol/pointer.ts";
import type { AckFrame } from "../../../protocol/visitor.ts";
import { newId } from "../../ids/index.ts";
import { type KeyValueStore, localStore } from "../../storage/index.ts";
import { $connection, sendFrame } from "../connection/index.ts";

/**
 * A message I sent: `pending` until the relay acknowledges it (re-sent after every reconnect;
 * the relay stores it once by id), `sent` once acknowledged until its stored copy reaches the
 * conversation, `failed` when the relay refused it for good.
 */
export type OutgoingMessage = {
  id: string;
  chatId: string;
  text: string;
  fileId?: string;
  /** The uploaded file, so the pane shows it before the relay echoes the message. */
  file?: ChatFile;
  note?: boolean;
  /** A pointer message: the element the agent picked on the visitor's page. */
  pointer?: PointerTarget;
  /** Local time of sending. */
  at: number;
  state: "pending" | "sent" | "failed";
  error?: string;
};

/** Messages not yet in their conversation, oldest first. */
export const $outbox = atom<readonly OutgoingMessage[]>([]);

let storage: KeyValueStore = localStore;
let storageKey: string | null = null;

/** Unacknowledged messages survive a reload: kept under the agent's own key. */
function persist(outbox: readonly OutgoingMessage[]): void {
  if (storageKey === null) return;
  const pending = outbox.filter((message) => message.state === "pending");
  if (pending.length > 0) storage.set(storageKey, JSON.stringify(pending));
  else storage.remove(storageKey);
}

function setOutbox(outbox: readonly OutgoingMessage[]): void {
  $outbox.set(outbox);
  persist(outbox);
}

function transmit(message: OutgoingMessage): void {
  sendFrame({
    type: "chat:send",
    chatId: message.chatId,
    id: message.id,
    text: message.text,
    ...(message.fileId ? { fileId: message.fileId } : {}),
    ...(message.note ? { note: true } : {}),
    ...(message.pointer ? { pointer: message.pointer } : {}),
  });
}

/**
 * Sends a message, file or private note to a chat and keeps it until the relay acknowledges
 * it. While the socket is down it only waits: {@link resendPending} sends it on reconnect.
 * Returns the message's id.
 *
 * @example sendMessage(chatId, { text: "Hello!" });
 */
export function sendMessage(
  chatId: string,
  content: { text: string; file?: ChatFile; note?: boolean; pointer?: PointerTarget },
  now: number = Date.now(),
): string {
  const message: OutgoingMessage = {
    id: newId(),
    chatId,
    text: content.text,
    at: now,
    state: "pending",
    ...(content.file ? { file: content.file, fileId: content.file.id } : {}),
    ...(content.note ? { note: true } : {}),
    ...(content.pointer ? { pointer: content.pointer } : {}),
  };
  setOutbox([...$outbox.get(), message]);
  if ($connection.get() === "connected") transmit(message);
  return message.id;
}

/** Sends every unacknowledged message again, oldest first: after a (re)connect. */
export function resendPending(): void {
  for (const message of $outbox.get()) if (message.state === "pending") transmit(message);
}

/** Takes the relay's `ack`: stored messages are sent; refused ones failed for good. */
export function receiveAck(frame: AckFrame): void {
  const stored = new Set(frame.ids);
  const refused = new Map((frame.rejected ?? []).map((entry) => [entry.id, entry.message]));
  if (!$outbox.get().some((m) => stored.has(m.id) || refused.has(m.id))) return;
  setOutbox(
    $outbox.get().map((message): OutgoingMessage => {
      if (message.state !== "pending") return message;
      const error = refused.get(message.id);
      if (error !== undefined) return { ...message, state: "failed", error };
      return stored.has(message.id) ? { ...message, state: "sent" } : message;
    }),
  );
}

/** Drops messages whose stored copies reached their conversation. */
export function forgetDelivered(ids: Iterable<string>): void {
  const delivered = new Set(ids);
  const outbox = $outbox.get();
  if (outbox.some((message) => delivered.has(message.id))) {
    setOutbox(outbox.filter((message) => !delivered.has(message.id)));
  }
}

/** Drops a failed message from the pane. */
export function discardMessage(id: string): void {
  forgetDelivered([id]);
}

/** Loads the agent's unacknowledged messages left by an earlier page, to send them again. */
export function loadOutbox(agentId: string, store: KeyValueStore = localStore): void {
  storage = store;
  storageKey = `parley.agent.outbox.${agentId}`;
  let restored: OutgoingMessage[] = [];
  try {
    const saved = JSON.parse(storage.get(storageKey) ?? "[]") as unknown;
    if (Array.isArray(saved)) {
      restored = saved.filter(
        (message): message is OutgoingMessage =>
          typeof message?.id === "string" &&
          typeof message.chatId === "string" &&
          typeof message.text === "string" &&
          message.state === "pending",
      );
    }
  } catch {
    // A corrupt entry is as good as none.
  }
  $outbox.set(restored);
}

/** Forgets the outbox in memory (it stays stored for the agent's next sign-in). */
export function resetOutbox(): void {
  storageKey = null;
  $outbox.set([]);
}
