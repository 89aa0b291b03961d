import { createStore, del, entries, get, set } from "idb-keyval";

/**
 * The small async key-value store every piece of tracker state lives in (identity, visit,
 * opt-out, outbox). Values are JSON. Inject one in `createTracker({ storage })`; tests use
 * {@link createMemoryStorage}.
 */
export type TrackerStorage = {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix`, in no particular order. */
  entries<T>(prefix: string): Promise<[string, T][]>;
};

/**
 * IndexedDB through idb-keyval, in a database of our own so that we never touch a host page's
 * own idb-keyval store. Nothing is opened until the first call.
 */
export const createIdbStorage = (): TrackerStorage => {
  const store = createStore("parley", "kv");
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    entries: async (prefix) =>
      (await entries(store)).filter(([key]) => String(key).startsWith(prefix)) as never,
  };
};

/**
 * Web Storage (localStorage by default), keys prefixed with `parley:`. Opening it writes a probe
 * so that a store that cannot be written (blocked cookies, a full or zero quota in private
 * modes) fails here, where a fallback can still take over.
 */
export const createWebStorage = (area: Storage = localStorage): TrackerStorage => {
  const ns = "parley:";
  area.setItem(ns, "");
  area.removeItem(ns);
  return {
    get: async (key) => {
      const raw = area.getItem(ns + key);
      return raw === null ? undefined : JSON.parse(raw);
    },
    set: async (key, value) => area.setItem(ns + key, JSON.stringify(value)),
    del: async (key) => area.removeItem(ns + key),
    entries: async (prefix) => {
      const found: [string, unknown][] = [];
      for (let i = 0; i < area.length; i++) {
        const key = area.key(i);
        if (key?.startsWith(ns + prefix))
          found.push([key.slice(ns.length), JSON.parse(area.getItem(key) as string)]);
      }
      return found as never;
    },
  };
};

/** Keeps state for this page only: the last resort, and the store tests use. */
export const createMemoryStorage = (): TrackerStorage => {
  const map = new Map<string, string>();
  return {
    get: async (key) => {
      const raw = map.get(key);
      return raw === undefined ? undefined : JSON.parse(raw);
    },
    // Saved as JSON so that a caller mutating its object later does not change what was saved.
    set: async (key, value) => void map.set(key, JSON.stringify(value)),
    del: async (key) => void map.delete(key),
    entries: async (prefix) =>
      [...map]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, raw]) => [key, JSON.parse(raw)]),
  };
};

/**
 * Uses `open()`'s store until it fails before it has ever worked (no IndexedDB, private mode,
 * blocked storage); from then on `openBackup()`'s. A store that worked once keeps being used
 * and its later failures are passed on: switching then would hide the visitor's saved identity.
 */
export const withFallback = (
  open: () => TrackerStorage,
  openBackup: () => TrackerStorage,
): TrackerStorage => {
  let primary: TrackerStorage | undefined;
  let backup: TrackerStorage | undefined;
  let proven = false;
  const call =
    (method: keyof TrackerStorage) =>
    async (...args: [string, unknown]) => {
      if (!backup) {
        try {
          primary ||= open();
          const result = await primary[method](...args);
          proven = true;
          return result;
        } catch (error) {
          if (proven) throw error;
          backup = openBackup();
        }
      }
      return backup[method](...args);
    };
  return {
    get: call("get") as TrackerStorage["get"],
    set: call("set") as TrackerStorage["set"],
    del: call("del") as TrackerStorage["del"],
    entries: call("entries") as TrackerStorage["entries"],
  };
};

/** The best store this browser offers: IndexedDB, else localStorage, else memory. */
export const openStorage = (): TrackerStorage =>
  withFallback(createIdbStorage, () => withFallback(() => createWebStorage(), createMemoryStorage));
