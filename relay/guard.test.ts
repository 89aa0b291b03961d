import { describe, expect, it } from "vitest";
import {
  AgentClientFrameSchema,
  FRAME_BURST,
  FRAME_BYTES,
  FRAMES_PER_SECOND,
  STRIKES_BEFORE_CLOSE,
  TrackingEventSchema,
  VisitorClientFrameSchema,
} from "../protocol/index.ts";
import { ConnectionGuards, FrameGuard, readFrame, validate } from "./guard.ts";
import type { Connection } from "./party.ts";

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function fakeConnection(): Connection & { sent: unknown[]; closed: [number, string] | null } {
  return {
    id: "conn-1",
    tags: [],
    state: null,
    setState() {},
    sent: [],
    closed: null,
    send(message) {
      this.sent.push(JSON.parse(message));
    },
    close(code = 1000, reason = "") {
      this.closed = [code, reason];
    },
  };
}

const track = JSON.stringify({ type: "track", events: [{}] });

describe("frame guard", () => {
  it("parses JSON frames", () => {
    const guard = new FrameGuard();
    expect(guard.admit('{"type":"track"}')).toEqual({ ok: true, value: { type: "track" } });
    expect(guard.admit("{nope")).toMatchObject({ ok: false, code: "bad_json" });
  });

  it("refuses frames over the byte limit, counting UTF-8 bytes", () => {
    const guard = new FrameGuard();
    const fits = JSON.stringify("x".repeat(FRAME_BYTES - 2));
    expect(guard.admit(fits)).toMatchObject({ ok: true });
    expect(guard.admit(JSON.stringify("x".repeat(FRAME_BYTES - 1)))).toMatchObject({
      ok: false,
      code: "too_large",
    });
    // 3 bytes each in UTF-8: under the limit in characters, over it in bytes.
    const wide = JSON.stringify("€".repeat(FRAME_BYTES / 3));
    expect(wide.length).toBeLessThan(FRAME_BYTES);
    expect(guard.admit(wide)).toMatchObject({ ok: false, code: "too_large" });
  });

  it("allows a burst, then the steady rate", () => {
    const time = clock();
    const guard = new FrameGuard({ now: time.now });
    for (let i = 0; i < FRAME_BURST; i++) expect(guard.admit("{}").ok).toBe(true);
    expect(guard.admit("{}")).toMatchObject({ ok: false, code: "rate_limited" });
    time.advance(1000 / FRAMES_PER_SECOND);
    expect(guard.admit("{}").ok).toBe(true);
    expect(guard.admit("{}").ok).toBe(false);
    time.advance(60_000);
    for (let i = 0; i < FRAME_BURST; i++) expect(guard.admit("{}").ok).toBe(true);
  });

  it("closes only after enough strikes within a minute", () => {
    const time = clock();
    const guard = new FrameGuard({ now: time.now });
    for (let i = 1; i < STRIKES_BEFORE_CLOSE; i++) expect(guard.strike()).toBe(false);
    time.advance(60_001);
    // The earlier strikes are forgotten.
    for (let i = 1; i < STRIKES_BEFORE_CLOSE; i++) expect(guard.strike()).toBe(false);
    expect(guard.strike()).toBe(true);
  });
});

describe("readFrame", () => {
  it("tells unknown types from bad fields", () => {
    expect(readFrame(VisitorClientFrameSchema, { type: "chat" })).toMatchObject({
      ok: false,
      code: "unknown_type",
      message: expect.stringContaining("track"),
    });
    expect(readFrame(VisitorClientFrameSchema, { type: "track", events: [] })).toMatchObject({
      ok: false,
      code: "bad_frame",
      message: expect.stringContaining("events"),
    });
    for (const value of [null, 3, "track", [], { kind: "track" }, { type: 7 }]) {
      expect(readFrame(VisitorClientFrameSchema, value)).toMatchObject({
        ok: false,
        code: "bad_frame",
      });
    }
  });

  it("returns valid frames", () => {
    const frame = { type: "trail:get", visitorId: "visitor-0001" };
    expect(readFrame(AgentClientFrameSchema, frame)).toEqual({ ok: true, value: frame });
  });
});

describe("validate", () => {
  const pageview = {
    kind: "pageview",
    id: "event-0001",
    at: 1_700_000_000_000,
    visitId: "visit-0001",
    url: "https://shop.example/",
    title: "Home",
  };

  it("checks an event against the kind it names, and says which field is wrong", () => {
    expect(validate(TrackingEventSchema, pageview, "invalid_event")).toEqual({
      ok: true,
      value: pageview,
    });
    expect(validate(TrackingEventSchema, { ...pageview, url: 7 }, "invalid_event")).toMatchObject({
      ok: false,
      code: "invalid_event",
      message: expect.stringContaining("url"),
    });
  });

  it("refuses a kind it does not know, or no kind, as the variant does", () => {
    for (const event of [{ ...pageview, kind: "purchase" }, { id: "event-0001" }, "pageview"]) {
      expect(validate(TrackingEventSchema, event, "invalid_event")).toMatchObject({
        ok: false,
        code: "invalid_event",
      });
    }
  });
});

describe("connection guards", () => {
  it("answers each refused frame and closes with 1008 on the last strike", () => {
    const guards = new ConnectionGuards("visitor/test");
    const conn = fakeConnection();
    for (let i = 1; i < STRIKES_BEFORE_CLOSE; i++) {
      expect(guards.receive(conn, "not json", VisitorClientFrameSchema)).toBeUndefined();
      expect(conn.closed).toBeNull();
    }
    expect(guards.receive(conn, '{"type":"nope"}', VisitorClientFrameSchema)).toBeUndefined();
    expect(conn.closed).toEqual([1008, "too many refused frames"]);
    expect(conn.sent).toHaveLength(STRIKES_BEFORE_CLOSE);
    expect(conn.sent[0]).toMatchObject({ type: "error", code: "bad_json" });
    expect(conn.sent.at(-1)).toMatchObject({ type: "error", code: "unknown_type" });
  });

  it("passes valid frames through without a strike", () => {
    const guards = new ConnectionGuards("visitor/test");
    const conn = fakeConnection();
    const frame = guards.receive(conn, track, VisitorClientFrameSchema);
    expect(frame).toEqual({ type: "track", events: [{}] });
    expect(conn.sent).toEqual([]);
  });

  it("can answer without a strike", () => {
    const guards = new ConnectionGuards("site/test");
    const conn = fakeConnection();
    for (let i = 0; i < STRIKES_BEFORE_CLOSE * 2; i++) {
      guards.refuse(conn, { code: "not_found", message: "gone" }, { strike: false });
    }
    expect(conn.closed).toBeNull();
  });
});
