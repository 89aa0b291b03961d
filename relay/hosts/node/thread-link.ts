import type { Transferable } from "node:worker_threads";

/** Either end of a thread: a worker's `parentPort`, or the `Worker` itself. */
type Port = {
  postMessage(value: unknown, transfer: readonly Transferable[]): void;
  on(event: "message", listener: (value: unknown[]) => void): unknown;
};

/**
 * What comes over the link: notes that need no answer (`kind` and `key`: `frame`, a connection
 * id), and calls, answered in kind.
 */
export type LinkHandlers = {
  note(kind: string, key: string, payload: unknown): void;
  /** Answers a call; `moved` is an ArrayBuffer or stream handed over rather than copied. */
  call(kind: string, payload: unknown): Promise<{ value: unknown; moved?: Transferable }>;
};

export type Link = {
  note(kind: string, key: string, payload: unknown): void;
  call(kind: string, payload: unknown, moved?: Transferable): Promise<unknown>;
  /** Rejects every call still waiting for its answer (the other thread died). */
  fail(error: Error): void;
};

/**
 * Messages between two threads, in order, sent together once per turn of the event loop: one
 * `postMessage` carries every frame of the turn, as a flat list of three entries per message
 * (kind, key, payload), which costs the threads far less than a message each.
 *
 * @example
 * const link = threadLink(worker, { note: (kind, key, text) => ..., call: async () => ... });
 * link.note("frame", connId, text);
 * const rooms = await link.call("count", null);
 */
export function threadLink(port: Port, handlers: LinkHandlers): Link {
  let batch: unknown[] = [];
  let moving: Transferable[] = [];
  let flushing = false;
  let calls = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  function flush(): void {
    flushing = false;
    const sent = batch;
    const moved = moving;
    batch = [];
    moving = [];
    port.postMessage(sent, moved);
  }
  function send(kind: string, key: string | number, payload: unknown, moved?: Transferable): void {
    batch.push(kind, key, payload);
    if (moved) moving.push(moved);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  }

  function answer(id: number, kind: string, payload: unknown): void {
    handlers.call(kind, payload).then(
      ({ value, moved }) => send("answer", id, value, moved),
      (error: unknown) =>
        send("failed", id, error instanceof Error ? error.message : String(error)),
    );
  }

  port.on("message", (received: unknown[]) => {
    for (let i = 0; i < received.length; i += 3) {
      const kind = received[i] as string;
      const key = received[i + 1];
      const payload = received[i + 2];
      if (kind === "call") {
        const [callKind, args] = payload as [string, unknown];
        answer(key as number, callKind, args);
      } else if (kind === "answer" || kind === "failed") {
        const call = waiting.get(key as number);
        waiting.delete(key as number);
        if (kind === "answer") call?.resolve(payload);
        else call?.reject(new Error(payload as string));
      } else handlers.note(kind, key as string, payload);
    }
  });

  return {
    note: send,
    call(kind, payload, moved) {
      const id = ++calls;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        send("call", id, [kind, payload], moved);
      });
    },
    fail(error) {
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
    },
  };
}
