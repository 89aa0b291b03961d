import { prefKey } from "../../loader/facade/index.ts";

/** A site's small widget preferences, kept across page loads and shared by its tabs. */
export type Prefs = {
  get<T>(name: string): T | undefined;
  set(name: string, value: unknown): void;
  /** Calls `listener` when another tab changes `name`; answers a function that stops it. */
  watch<T>(name: string, listener: (value: T | undefined) => void): () => void;
};

const parse = <T>(raw: string | null | undefined): T | undefined => {
  try {
    return raw == null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
};

/**
 * Preferences of the widget for `site` (sound muted, what the visitor has read, the facade's
 * look) in localStorage as JSON, under {@link prefKey}. localStorage throws when blocked
 * (cookies off, some private modes): then they live in memory for this page only.
 *
 * @example
 * const prefs = createPrefs("demo");
 * prefs.set("muted", true);
 * prefs.get<boolean>("muted"); // true
 */
export function createPrefs(site: string): Prefs {
  const memory = new Map<string, string>();
  return {
    get(name) {
      const key = prefKey(site, name);
      try {
        return parse(localStorage.getItem(key));
      } catch {
        return parse(memory.get(key));
      }
    },
    set(name, value) {
      const key = prefKey(site, name);
      const raw = JSON.stringify(value);
      memory.set(key, raw);
      try {
        localStorage.setItem(key, raw);
      } catch {
        // Blocked storage: the memory copy serves this page.
      }
    },
    watch(name, listener) {
      const key = prefKey(site, name);
      const onStorage = (event: StorageEvent) => {
        if (event.key === key) listener(parse(event.newValue));
      };
      try {
        addEventListener("storage", onStorage);
      } catch {
        // No window (tests in Node): no other tabs either.
      }
      return () => removeEventListener("storage", onStorage);
    },
  };
}
