import { EVENTS_PER_FRAME, FRAME_BYTES } from "../../protocol/limits.ts";
import type { TrackingEvent } from "../../protocol/visitor.ts";
import { warnOnce } from "../guard/index.ts";
import type { TrackerStorage } from "../storage/index.ts";

/**
 * Events waiting for the relay's ack. Each is kept in storage until acked, so that what a
 * closed tab or a dropped connection did not deliver is sent again later; the relay stores
 * each id once, so sending twice is harmless.
 */
export type Outbox = {
  /** Adds what earlier page loads (or other tabs) left pending. */
  load(): Promise<void>;
  /**
   * Keeps `event` until acked and sends it after a short batching delay. An engagement event
   * replaces the pending one of its page view: only the latest report matters.
   */
  add(event: TrackingEvent): void;
  /** Sends now every pending event not already sent on this connection. */
  flush(): void;
  /** Sends every pending event again, as after a reconnect: unacked sends may have been lost. */
  resend(): void;
  /** Forgets events the relay acked or rejected. */
  settle(ids: string[]): void;
  /** Drops every pending event (opt-out, new identity). */
  clear(): void;
  /** The pending events, in no particular order. */
  list(): TrackingEvent[];
};

export type OutboxOptions = {
  storage: TrackerStorage;
  /** Storage key prefix of the pending events. */
  prefix: string;
  /** Sends one `track` frame; false when it could not (no open connection). */
  send: (frame: string) => boolean;
  /** How long to collect events before sending them in one frame. */
  batchMs?: number;
};

// Oldest first; a visit before the page view of the same moment that it starts (events
// loaded from storage come back in key order, not in the order they were made).
const byTime = (a: TrackingEvent, b: TrackingEvent) =>
  a.at - b.at || +(b.kind === "visit") - +(a.kind === "visit");

const keyOf = (event: TrackingEvent) =>
  event.kind === "engagement" ? `e${event.pageviewId}` : event.id;

/** See {@link Outbox}. */
export function createOutbox({ storage, prefix, send, batchMs = 200 }: OutboxOptions): Outbox {
  const pending = new Map<string, TrackingEvent>();
  const inFlight = new Set<string>();
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const saved = (promise: Promise<void>) => {
    promise.catch((error) => warnOnce(`storage: ${error}`));
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const events = [...pending.values()].filter((event) => !inFlight.has(event.id)).sort(byTime);
    let batch: TrackingEvent[] = [];
    let bytes = 0;
    const emit = () => {
      if (!batch.length) return true;
      if (!send(JSON.stringify({ type: "track", events: batch }))) return false;
      for (const event of batch) inFlight.add(event.id);
      batch = [];
      bytes = 0;
      return true;
    };
    for (const event of events) {
      const size = encoder.encode(JSON.stringify(event)).length + 1;
      // 100 bytes of the frame are its own JSON around the events.
      if (batch.length === EVENTS_PER_FRAME || bytes + size > FRAME_BYTES - 100)
        if (!emit()) return;
      batch.push(event);
      bytes += size;
    }
    emit();
  };

  return {
    async load() {
      for (const [key, event] of await storage.entries<TrackingEvent>(prefix)) {
        const name = key.slice(prefix.length);
        if (!pending.has(name)) pending.set(name, event);
      }
    },
    add(event) {
      const key = keyOf(event);
      pending.set(key, event);
      saved(storage.set(prefix + key, event));
      timer ??= setTimeout(flush, batchMs);
    },
    flush,
    resend() {
      inFlight.clear();
      flush();
    },
    settle(ids) {
      for (const id of ids) {
        inFlight.delete(id);
        for (const [key, event] of pending)
          if (event.id === id) {
            pending.delete(key);
            saved(storage.del(prefix + key));
          }
      }
    },
    clear() {
      for (const key of pending.keys()) saved(storage.del(prefix + key));
      pending.clear();
      inFlight.clear();
    },
    list: () => [...pending.values()],
  };
}
