import { describe, expect, it } from "vitest";
import { createKeyValueStore } from "./index.ts";
import { memoryStorage } from "./memory.ts";

describe("createKeyValueStore", () => {
  it("reads back what the backing storage holds, across instances", () => {
    const storage = memoryStorage();
    createKeyValueStore(() => storage).set("token", "abc");
    expect(createKeyValueStore(() => storage).get("token")).toBe("abc");
  });

  it("keeps working in memory when the storage throws", () => {
    const store = createKeyValueStore(() => {
      throw new DOMException("denied", "SecurityError");
    });
    store.set("token", "abc");
    expect(store.get("token")).toBe("abc");
    store.remove("token");
    expect(store.get("token")).toBeNull();
  });

  it("keeps working in memory when the storage is full", () => {
    const full = memoryStorage();
    full.setItem = () => {
      throw new DOMException("full", "QuotaExceededError");
    };
    const store = createKeyValueStore(() => full);
    store.set("token", "abc");
    expect(store.get("token")).toBe("abc");
  });

  it("sees a removal made by another tab", () => {
    const shared = memoryStorage();
    const thisTab = createKeyValueStore(() => shared);
    thisTab.set("token", "abc");
    createKeyValueStore(() => shared).remove("token");
    expect(thisTab.get("token")).toBeNull();
  });
});
