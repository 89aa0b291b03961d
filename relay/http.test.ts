import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { BODY_BYTES } from "../protocol/index.ts";
import { bearerToken, delegateRoutes, json, type Routes, readJsonBody, route } from "./http.ts";

const schema = v.object({ name: v.pipe(v.string(), v.minLength(1)) });

function post(body: BodyInit, headers: HeadersInit = {}): Request {
  return new Request("https://relay.test/api/x", { method: "POST", body, headers });
}

async function errorOf(result: Awaited<ReturnType<typeof readJsonBody>>) {
  if (result.ok) throw new Error("expected a refusal");
  return { status: result.response.status, body: await result.response.json() };
}

describe("readJsonBody", () => {
  it("returns the validated body", async () => {
    expect(await readJsonBody(post('{"name":"Ada"}'), schema)).toEqual({
      ok: true,
      value: { name: "Ada" },
    });
  });

  it("answers 400 for bad JSON and for a body that does not match", async () => {
    expect(await errorOf(await readJsonBody(post("{"), schema))).toMatchObject({
      status: 400,
      body: { error: "bad_json" },
    });
    expect(await errorOf(await readJsonBody(post('{"name":""}'), schema))).toMatchObject({
      status: 400,
      body: { error: "bad_body", message: expect.stringMatching(/^name: /) },
    });
  });

  it("answers 413 past the limit, by header or by counting a streamed body", async () => {
    const big = JSON.stringify({ name: "x".repeat(BODY_BYTES) });
    expect(await errorOf(await readJsonBody(post(big), schema))).toMatchObject({
      status: 413,
      body: { error: "too_large" },
    });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = new Request("https://relay.test/api/x", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.headers.get("content-length")).toBeNull();
    expect((await errorOf(await readJsonBody(streamed, schema))).status).toBe(413);
  });
});

describe("bearerToken", () => {
  it("reads Authorization: Bearer", () => {
    const request = (value: string) =>
      new Request("https://relay.test/", { headers: { authorization: value } });
    expect(bearerToken(request("Bearer abc.def"))).toBe("abc.def");
    expect(bearerToken(request("bearer abc.def"))).toBe("abc.def");
    expect(bearerToken(request("Basic abc"))).toBeNull();
    expect(bearerToken(new Request("https://relay.test/"))).toBeNull();
  });
});

describe("route", () => {
  type Counter = { count: number };
  type Room = { name: string; counter: Counter };
  const counterRoutes: Routes<Counter> = {
    "/count": { POST: async (counter) => json({ count: ++counter.count }) },
  };
  const roomRoutes: Routes<Room> = {
    "/name": { GET: async (room) => json({ name: room.name }) },
    ...delegateRoutes(counterRoutes, (room: Room) => room.counter),
  };
  const request = (method: string, path: string) => new Request(`https://room${path}`, { method });

  it("hands each room its own state through one shared table", async () => {
    const first: Room = { name: "first", counter: { count: 0 } };
    const second: Room = { name: "second", counter: { count: 10 } };
    expect(await (await route(roomRoutes, second, request("GET", "/name"))).json()).toEqual({
      name: "second",
    });
    await route(roomRoutes, first, request("POST", "/count"));
    const counted = await route(roomRoutes, first, request("POST", "/count"));
    expect(await counted.json()).toEqual({ count: 2 });
    expect(second.counter.count).toBe(10);
  });

  it("answers 404 for an unknown path and 405 with Allow for a missing method", async () => {
    const room: Room = { name: "room", counter: { count: 0 } };
    expect((await route(roomRoutes, room, request("GET", "/nope"))).status).toBe(404);
    const refused = await route(roomRoutes, room, request("GET", "/count"));
    expect(refused.status).toBe(405);
    expect(refused.headers.get("allow")).toBe("POST");
    expect(room.counter.count).toBe(0);
  });
});
