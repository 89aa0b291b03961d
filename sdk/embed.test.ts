import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Command, start } from "./embed.ts";
import { createMemoryStorage } from "./storage/index.ts";
import { fakePage, fakeSocketFactory } from "./testing/index.ts";

const setup = (queue: Command[]) => {
  fakePage();
  const storage = createMemoryStorage();
  const { factory, sockets } = fakeSocketFactory();
  start({ site: "demo", host: "relay.test", queue }, { storage, socketFactory: factory });
  return { storage, sockets, queue };
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("start", () => {
  it("starts tracking the site on the loader's host", async () => {
    const { sockets } = setup([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sockets[0]?.options).toMatchObject({ host: "relay.test", protocol: "ws" });
    expect(sockets[0]?.options.query.site).toBe("demo");
  });

  it("runs the commands queued before it loaded", async () => {
    const { storage, sockets } = setup([["optOut", []]]);
    await vi.advanceTimersByTimeAsync(10);
    expect(await storage.get("demo:optout")).toBe(true);
    expect(sockets).toHaveLength(0);
  });

  it("runs commands queued later at once", async () => {
    const { storage, queue } = setup([]);
    await vi.advanceTimersByTimeAsync(10);
    queue.push(["optOut", []]);
    await vi.advanceTimersByTimeAsync(10);
    expect(await storage.get("demo:optout")).toBe(true);
  });

  it("ignores unknown commands with one warning each, and runs the others", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { storage, queue } = setup([
      ["embed test: nope", []],
      ["embed test: nope", []],
      ["toString", []],
      ["optOut", []],
    ]);
    queue.push(["embed test: nope", [1]]);
    await vi.advanceTimersByTimeAsync(10);
    expect(warn.mock.calls).toEqual([
      ['parley: unknown command "embed test: nope" ignored'],
      ['parley: unknown command "toString" ignored'],
    ]);
    expect(await storage.get("demo:optout")).toBe(true);
  });

  it("never throws into the page", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    fakePage();
    expect(() =>
      start({ site: "demo", host: "relay.test", queue: null as unknown as Command[] }),
    ).not.toThrow();
  });
});
