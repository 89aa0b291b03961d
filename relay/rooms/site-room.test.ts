import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RosterEntry } from "../../protocol/index.ts";
import {
  api,
  connectAgent,
  connectVisitor,
  DEMO,
  events,
  login,
  newId,
  newVisitor,
  openSocket,
  rosterEntriesSent,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

let relay: TestRelay;

beforeAll(async () => {
  relay = await startTestRelay();
});

afterAll(async () => {
  await relay?.close();
});

async function expectUnauthorized(socket: TestSocket) {
  expect(await socket.next("error")).toEqual({
    type: "error",
    code: "unauthorized",
    message: expect.any(String),
  });
  expect((await socket.closed).code).toBe(1008);
  expect(socket.frames.map((f) => f.type)).toEqual(["error"]);
}

describe("agent sockets", () => {
  it("greets a signed-in agent with who it is and the whole roster", async () => {
    const { token, agent } = await login(relay);
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");

    const socket = await connectAgent(relay, token);
    expect(await socket.next()).toEqual({
      type: "hello",
      agent,
      site: { id: DEMO.siteId, name: DEMO.siteName },
    });
    const roster = await socket.next();
    expect(roster).toMatchObject({ type: "roster", full: true });
    expect((roster.visitors as RosterEntry[]).map((e) => e.id)).toContain(visitor.id);
    await tab.close();
    await socket.close();
  });

  it("refuses a socket without a valid token and shows it nothing", async () => {
    const base = `${relay.wsUrl}/parties/site/${DEMO.siteId}`;
    const { token } = await login(relay);
    const [payload, signature] = token.split(".");
    for (const query of ["", "?token=", "?token=garbage", `?token=${payload}.${signature}x`]) {
      await expectUnauthorized(await openSocket(`${base}${query}`));
    }
  });

  it("refuses a token of another site", async () => {
    const { token } = await login(relay);
    await expectUnauthorized(
      await openSocket(`${relay.wsUrl}/parties/site/other-site?token=${token}`),
    );
  });

  it("answers trail requests for unknown visitors and bad frames with errors", async () => {
    const socket = await connectAgent(relay, (await login(relay)).token);
    await socket.next("roster");
    socket.send({ type: "trail:get", visitorId: newId("nobody") });
    expect(await socket.next("error")).toMatchObject({ code: "not_found" });
    socket.send({ type: "trail:get", visitorId: "../../etc" });
    expect(await socket.next("error")).toMatchObject({ code: "bad_frame" });
    socket.send("[");
    expect(await socket.next("error")).toMatchObject({ code: "bad_json" });
    socket.send({ type: "chat:send" });
    expect(await socket.next("error")).toMatchObject({ code: "bad_frame" });
    socket.send({ type: "chat:nope", chatId: newId("chat") });
    expect(await socket.next("error")).toMatchObject({ code: "unknown_type" });
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });
});

describe("roster updates", () => {
  it("coalesces a busy visitor's updates and ends on its latest state", async () => {
    const socket = await connectAgent(relay, (await login(relay)).token);
    await socket.next("roster");
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const start = Date.now();
    for (let i = 1; i <= 10; i++) {
      tab.send({
        type: "track",
        events: [events.pageview(visitId, { at: start + i, title: `Page ${i}` })],
      });
      await tab.next("ack");
    }
    const sentWithin = Date.now() - start;
    for (;;) {
      const latest = rosterEntriesSent(socket, visitor.id).at(-1);
      if (latest?.visit?.pageviews === 10) break;
      await socket.next("roster");
    }
    const entries = rosterEntriesSent(socket, visitor.id);
    expect(entries.at(-1)?.page?.title).toBe("Page 10");
    // One update at once, then at most one per 250 ms.
    expect(entries.length).toBeLessThanOrEqual(2 + Math.ceil(sentWithin / 250));
    expect(entries.length).toBeLessThan(10);
    await tab.close();
    await socket.close();
  });

  it("batches many visitors' changes into few frames", async () => {
    const socket = await connectAgent(relay, (await login(relay)).token);
    await socket.next("roster");
    const visitors = Array.from({ length: 20 }, () => newVisitor());
    const tabs = await Promise.all(visitors.map((visitor) => connectVisitor(relay, visitor)));
    await Promise.all(tabs.map((tab) => tab.next("welcome")));
    for (;;) {
      if (visitors.every((visitor) => rosterEntriesSent(socket, visitor.id).length > 0)) break;
      await socket.next("roster");
    }
    const frames = socket.frames.filter((frame) => frame.type === "roster" && !frame.full);
    expect(frames.some((frame) => (frame.visitors as RosterEntry[]).length > 1)).toBe(true);
    await Promise.all(tabs.map((tab) => tab.close()));
    await socket.close();
  });
});

describe("POST /api/logout", () => {
  it("revokes the token for HTTP and sockets, and closes its open sockets", async () => {
    const { token } = await login(relay);
    const other = await login(relay);
    const socket = await connectAgent(relay, token);
    const bystander = await connectAgent(relay, other.token);
    await socket.next("roster");
    await bystander.next("roster");

    expect(await api(relay, "POST", "/api/logout", { token })).toEqual({ status: 204, body: null });
    expect(await socket.next("error")).toMatchObject({ code: "unauthorized" });
    expect((await socket.closed).code).toBe(1008);

    expect(await api(relay, "GET", "/api/site", { token })).toMatchObject({ status: 401 });
    expect(await api(relay, "POST", "/api/logout", { token })).toMatchObject({ status: 401 });
    await expectUnauthorized(await connectAgent(relay, token));

    // Other sessions of the same agent keep working.
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    expect(await api(relay, "GET", "/api/site", { token: other.token })).toMatchObject({
      status: 200,
    });
    await bystander.close();
  });

  it("stays revoked after a restart", async () => {
    const { token } = await login(relay);
    expect((await api(relay, "POST", "/api/logout", { token })).status).toBe(204);
    await relay.restart();
    expect(await api(relay, "GET", "/api/agents", { token })).toMatchObject({ status: 401 });
    await expectUnauthorized(await connectAgent(relay, token));
  });
});
