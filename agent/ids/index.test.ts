import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IdSchema } from "../../protocol/ids.ts";
import { newId } from "./index.ts";

afterEach(() => vi.unstubAllGlobals());

describe("newId", () => {
  it("makes distinct ids the relay accepts", () => {
    const ids = new Set(Array.from({ length: 100 }, newId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(v.is(IdSchema, id)).toBe(true);
  });

  it("falls back to random bytes outside a secure context", () => {
    vi.stubGlobal("crypto", {
      randomUUID: () => {
        throw new Error("insecure");
      },
      getRandomValues: (bytes: Uint8Array) => bytes.fill(7),
    });
    expect(newId()).toBe("07".repeat(16));
  });

  it("still makes valid ids without any crypto", () => {
    vi.stubGlobal("crypto", undefined);
    expect(v.is(IdSchema, newId())).toBe(true);
  });
});
