import { afterEach, describe, expect, it, vi } from "vitest";
import { createPrefs } from "./index.ts";

afterEach(() => vi.unstubAllGlobals());

describe("createPrefs", () => {
  it("keeps values as JSON in localStorage under the site's keys", () => {
    const stored = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => stored.set(key, value),
    });
    const prefs = createPrefs("demo");
    prefs.set("muted", true);
    expect(stored.get("parley:demo:widget:muted")).toBe("true");
    expect(createPrefs("demo").get("muted")).toBe(true);
    expect(createPrefs("other").get("muted")).toBeUndefined();
  });

  it("falls back to memory where storage is blocked", () => {
    vi.stubGlobal("localStorage", {
      getItem() {
        throw new Error("SecurityError");
      },
      setItem() {
        throw new Error("SecurityError");
      },
    });
    const prefs = createPrefs("demo");
    prefs.set("read", { seq: 3 });
    expect(prefs.get("read")).toEqual({ seq: 3 });
  });

  it("reads a broken value as missing", () => {
    vi.stubGlobal("localStorage", { getItem: () => "{not json" });
    expect(createPrefs("demo").get("muted")).toBeUndefined();
  });
});
