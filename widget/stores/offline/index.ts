import { atom } from "nanostores";
import type { TrackingEvent, VisitorServerFrame } from "../../../protocol/visitor.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { record } from "../session/index.ts";

/**
 * The offline form's submission: `sending` until the relay acks it (it waits in the outbox
 * meanwhile, across reloads), then `sent`; `failed` when the relay refused it.
 */
export const $offlineMessage = atom<{ id: string; state: "sending" | "sent" | "failed" } | null>(
  null,
);

/** Sends the offline form (values already checked): name, email, phone (optional) and text. */
export function sendOfflineMessage(form: {
  name: string;
  email: string;
  phone?: string;
  text: string;
}): void {
  const event: TrackingEvent = {
    kind: "offline-message",
    id: randomId(),
    at: Date.now(),
    name: form.name,
    email: form.email,
    text: form.text,
  };
  if (form.phone) event.phone = form.phone;
  if (record(event)) $offlineMessage.set({ id: event.id, state: "sending" });
}

/** Marks the submission sent (or failed) when the relay's ack names it. */
export function receiveOffline(frame: VisitorServerFrame): void {
  const current = $offlineMessage.get();
  if (frame.type !== "ack" || current?.state !== "sending") return;
  if (frame.ids.includes(current.id)) $offlineMessage.set({ ...current, state: "sent" });
  else if (frame.rejected?.some((event) => event.id === current.id))
    $offlineMessage.set({ ...current, state: "failed" });
}

/** An offline message an earlier page load left in the outbox is still on its way. */
export function restoreOffline(events: TrackingEvent[]): void {
  const waiting = events.find((event) => event.kind === "offline-message");
  if (waiting) $offlineMessage.set({ id: waiting.id, state: "sending" });
}
