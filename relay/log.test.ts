import { afterEach, describe, expect, it } from "vitest";
import { configureLog, log } from "./log.ts";
import { StorageClosedError } from "./party.ts";

const lines: string[] = [];

afterEach(() => {
  lines.length = 0;
  configureLog({ level: undefined, write: undefined });
});

describe("log", () => {
  it("writes one JSON line per refused input", () => {
    configureLog({ level: "info", write: (line) => lines.push(line) });
    log.refused("visitor/abc", "bad_json", "A frame must be one JSON object", { conn: "c1" });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      at: expect.any(String),
      level: "info",
      message: "refused",
      room: "visitor/abc",
      code: "bad_json",
      reason: "A frame must be one JSON object",
      conn: "c1",
    });
  });

  it("keeps an error's message and stack", () => {
    configureLog({ level: "error", write: (line) => lines.push(line) });
    log.info("not written");
    log.error("alarm failed", { error: new Error("disk full") });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "").error).toMatchObject({ name: "Error", message: "disk full" });
  });

  it("writes what the hosts do beneath the rooms only at debug", () => {
    configureLog({ level: "info", write: (line) => lines.push(line) });
    log.debug("room started with sockets open", { room: "site/demo", sockets: 2 });
    expect(lines).toEqual([]);
    configureLog({ level: "debug" });
    log.debug("room started with sockets open", { room: "site/demo", sockets: 2 });
    log.refused("site/demo", "unauthorized", "no token");
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { level: "debug", message: "room started with sockets open", room: "site/demo", sockets: 2 },
      { level: "info", message: "refused" },
    ]);
  });

  it("does not report work dropped because the host stopped", () => {
    configureLog({ level: "error", write: (line) => lines.push(line) });
    log.error("chat update failed", { chat: "visitor-1", error: new StorageClosedError() });
    expect(lines).toEqual([]);
  });

  it("is quiet under vitest unless asked, and silent when told", () => {
    const asked = process.env.PARLEY_LOG;
    delete process.env.PARLEY_LOG;
    configureLog({ write: (line) => lines.push(line) });
    log.refused("site/demo", "unauthorized", "no token");
    process.env.PARLEY_LOG = asked;
    expect(lines).toEqual([]);
    configureLog({ level: "silent" });
    log.error("not written either");
    expect(lines).toEqual([]);
  });
});
