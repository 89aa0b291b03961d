import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { start } from "./embed.ts";
import { createMemoryStorage } from "./storage/index.ts";
import { fakePage, fakeSocketFactory } from "./testing/index.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("start", () => {
  it("starts tracking the site on the loader's host and answers the tracker", async () => {
    fakePage();
    const { factory, sockets } = fakeSocketFactory();
    const tracker = start(
      { site: "demo", host: "relay.test" },
      { storage: createMemoryStorage(), socketFactory: factory },
    );
    await tracker?.ready;
    expect(sockets[0]?.options).toMatchObject({ host: "relay.test", protocol: "ws" });
    expect(sockets[0]?.options.query.site).toBe("demo");
    expect(tracker?.channel.visitorId).toBe(tracker?.visitorId);
    expect(tracker?.visitorId).toMatch(/^[\w-]{21}$/);
  });

  it("never throws into the page", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    fakePage();
    expect(
      start(
        { site: "demo", host: "relay.test" },
        {
          socketFactory: () => {
            throw new Error("no sockets here");
          },
          get storage(): never {
            throw new Error("no storage here");
          },
        },
      ),
    ).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no storage here"));
  });
});
