import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createMemoryStorage,
  createWebStorage,
  openStorage,
  type TrackerStorage,
  withFallback,
} from "./index.ts";

/** A Web Storage area held in a Map, as the browser's localStorage behaves. */
const fakeArea = (options: { quota?: number } = {}): Storage => {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      if (options.quota !== undefined && map.size >= options.quota)
        throw new DOMException("full", "QuotaExceededError");
      map.set(key, String(value));
    },
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
  };
};

const failing = (): TrackerStorage => {
  const fail = () => Promise.reject(new Error("unavailable"));
  return { get: fail, set: fail, del: fail, entries: fail };
};

const behavesAsAStore = (name: string, make: () => TrackerStorage) =>
  describe(name, () => {
    it("keeps, returns and deletes JSON values", async () => {
      const store = make();
      expect(await store.get("a")).toBeUndefined();
      await store.set("a", { n: 1, list: ["x"] });
      expect(await store.get("a")).toEqual({ n: 1, list: ["x"] });
      await store.del("a");
      expect(await store.get("a")).toBeUndefined();
    });

    it("lists the entries under a prefix only", async () => {
      const store = make();
      await store.set("s:o:1", 1);
      await store.set("s:o:2", 2);
      await store.set("s:profile", 3);
      const found = await store.entries<number>("s:o:");
      expect(found.sort()).toEqual([
        ["s:o:1", 1],
        ["s:o:2", 2],
      ]);
    });

    it("saves a copy, not the caller's object", async () => {
      const store = make();
      const value = { n: 1 };
      await store.set("a", value);
      value.n = 2;
      expect(await store.get("a")).toEqual({ n: 1 });
    });
  });

behavesAsAStore("createMemoryStorage", createMemoryStorage);
behavesAsAStore("createWebStorage", () => createWebStorage(fakeArea()));

describe("createWebStorage", () => {
  it("namespaces its keys so the host page's own keys stay apart", async () => {
    const area = fakeArea();
    area.setItem("a", "host value");
    await createWebStorage(area).set("a", 1);
    expect(area.getItem("a")).toBe("host value");
    expect(area.getItem("parley:a")).toBe("1");
  });

  it("refuses to open a store that cannot be written", () => {
    expect(() => createWebStorage(fakeArea({ quota: 0 }))).toThrow();
  });
});

describe("withFallback", () => {
  it("uses the backup when the first store fails from the start", async () => {
    const backup = createMemoryStorage();
    const store = withFallback(failing, () => backup);
    await store.set("a", 1);
    expect(await store.get("a")).toBe(1);
    expect(await backup.get("a")).toBe(1);
  });

  it("uses the backup when the first store cannot even be opened", async () => {
    const store = withFallback(() => {
      throw new ReferenceError("indexedDB is not defined");
    }, createMemoryStorage);
    await store.set("a", 1);
    expect(await store.get("a")).toBe(1);
  });

  it("keeps a store that worked once, passing its later failures on", async () => {
    const primary = createMemoryStorage();
    const backup = createMemoryStorage();
    const store = withFallback(
      () => primary,
      () => backup,
    );
    await store.set("a", 1);
    primary.set = () => Promise.reject(new Error("quota"));
    await expect(store.set("b", 2)).rejects.toThrow("quota");
    expect(await store.get("a")).toBe(1);
    expect(await backup.get("b")).toBeUndefined();
  });
});

describe("openStorage", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("falls back to localStorage where IndexedDB is missing", async () => {
    const area = fakeArea();
    vi.stubGlobal("localStorage", area);
    await openStorage().set("a", 1);
    expect(area.getItem("parley:a")).toBe("1");
  });

  it("falls back to memory where neither IndexedDB nor localStorage work", async () => {
    vi.stubGlobal("localStorage", fakeArea({ quota: 0 }));
    const store = openStorage();
    await store.set("a", 1);
    expect(await store.get("a")).toBe(1);
  });
});
