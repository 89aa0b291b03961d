import { warnOnce } from "../../sdk/guard/index.ts";

type Listener<Args extends unknown[]> = (...args: Args) => void;

/** Named events with typed arguments; see {@link createEmitter}. */
export type Emitter<Events extends Record<string, unknown[]>> = {
  /** Adds `listener` for `name`; answers a function that removes it. */
  on<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): () => void;
  /** Removes `listener` from `name`. */
  off<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): void;
  /** Calls every listener of `name` with `args`, in the order they were added. */
  emit<Name extends keyof Events>(name: Name, ...args: Events[Name]): void;
};

/**
 * A small event emitter. A listener that throws is reported once in the console and does not
 * stop the others: listeners include the host page's own code.
 *
 * @example
 * const events = createEmitter<{ unread: [count: number] }>();
 * events.on("unread", (count) => console.log(count));
 * events.emit("unread", 2);
 */
export function createEmitter<Events extends Record<string, unknown[]>>(): Emitter<Events> {
  // Each set holds the listeners of its own event, whatever their arguments.
  const listeners = new Map<keyof Events, Set<(...args: never) => void>>();
  const off: Emitter<Events>["off"] = (name, listener) => {
    listeners.get(name)?.delete(listener);
  };
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => off(name, listener);
    },
    off,
    emit(name, ...args) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as Listener<Events[typeof name]>)(...args);
        } catch (error) {
          warnOnce(`a "${String(name)}" listener threw: ${error}`);
        }
      }
    },
  };
}
