import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IdSchema } from "../../protocol/ids.ts";
import { randomId } from "./index.ts";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("randomId", () => {
  it("makes ids the relay accepts, of the asked length", () => {
    expect(randomId()).toHaveLength(21);
    expect(randomId(40)).toHaveLength(40);
    expect(v.is(IdSchema, randomId())).toBe(true);
  });

  it("does not repeat itself", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
  });

  it("uses every character of the alphabet", () => {
    const seen = new Set(randomId(4096));
    expect(seen.size).toBe(64);
  });

  it("falls back to Math.random where crypto is missing", () => {
    vi.stubGlobal("crypto", undefined);
    const random = vi.spyOn(Math, "random");
    const id = randomId();
    expect(random).toHaveBeenCalledTimes(21);
    expect(v.is(IdSchema, id)).toBe(true);
  });
});
