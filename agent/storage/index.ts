/**
 * Key-value storage for the console, wrapped once: `localStorage` throws in some private modes,
 * when site data is blocked and when full, and may be missing altogether. A write the browser
 * refuses is kept in memory instead, so the current tab keeps working whatever it allows.
 */
export type KeyValueStore = {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
};

/**
 * A store backed by `backing()` (looked up on each call, since merely reading
 * `window.localStorage` can throw), falling back to memory.
 *
 * @example const prefs = createKeyValueStore(() => globalThis.localStorage);
 */
export function createKeyValueStore(backing: () => Storage | undefined): KeyValueStore {
  /** Values the backing storage refused; they win over whatever it holds. */
  const refused = new Map<string, string>();
  const attempt = <T>(use: (storage: Storage) => T): { ok: true; value: T } | { ok: false } => {
    try {
      const storage = backing();
      return storage ? { ok: true, value: use(storage) } : { ok: false };
    } catch {
      return { ok: false };
    }
  };
  return {
    get(key) {
      const kept = refused.get(key);
      if (kept !== undefined) return kept;
      const read = attempt((storage) => storage.getItem(key));
      return read.ok ? read.value : null;
    },
    set(key, value) {
      if (attempt((storage) => storage.setItem(key, value)).ok) refused.delete(key);
      else refused.set(key, value);
    },
    remove(key) {
      refused.delete(key);
      attempt((storage) => storage.removeItem(key));
    },
  };
}

/** The browser's `localStorage`, or memory where it is unavailable. */
export const localStore = createKeyValueStore(() => globalThis.localStorage);
