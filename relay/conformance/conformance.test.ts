/**
 * The conformance suite: the same scenarios, over real HTTP and WebSockets, against both hosts
 * (the node host, and the Cloudflare host under `wrangler dev`). The rooms are the same code on
 * both; what this proves is that each host gives them what they rely on: storage that keeps
 * what was acknowledged, connections and their tags, calls between rooms, uploads, the API and
 * the static files with their headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatFile, type RosterEntry, type Trail, UPLOAD_BYTES } from "../../protocol/index.ts";
import { signSiteToken } from "../auth/index.ts";
import { BINARY_FRAME_REFUSED } from "../party.ts";
import {
  agentReply,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  DEMO,
  events,
  login,
  newId,
  newVisitor,
  nextChat,
  nextRosterEntry,
  openSocket,
  PNG_PIXEL,
  type TestSocket,
  uploadAs,
} from "../rooms/testing.ts";
import { type ConformanceHost, hosts } from "./hosts.ts";

describe.each(Object.entries(hosts))("the %s host", (_name, startHost) => {
  let host: ConformanceHost;
  const opened: TestSocket[] = [];
  /** Opened sockets are closed after the suite, whatever fails. */
  const track = (socket: TestSocket) => {
    opened.push(socket);
    return socket;
  };

  beforeAll(async () => {
    host = await startHost();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(opened.map((socket) => socket.close()));
    await host?.close();
  }, 30_000);

  it("serves the demo shop, the console and the bundles with their headers", async () => {
    const root = await fetch(host.url, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(new URL(root.headers.get("location") ?? "", host.url).pathname).toBe("/demo/");

    const demo = await fetch(`${host.url}/demo/`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('src="/loader.js" data-site="demo"');

    const loader = await fetch(`${host.url}/loader.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(loader.headers.get("access-control-allow-origin")).toBe("*");
    expect(loader.headers.get("cache-control")).toBe("public, max-age=300");
    expect(loader.headers.get("x-content-type-options")).toBe("nosniff");

    const console = await fetch(`${host.url}/agent/`);
    expect(console.status).toBe(200);
    expect(console.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(console.headers.get("cache-control")).toBe("no-cache");

    expect((await fetch(`${host.url}/no-such-file.js`)).status).toBe(404);
  });

  it("signs the demo admin in, and refuses a wrong password and a bad body", async () => {
    const admin = await login(host);
    expect(admin.agent).toMatchObject({ email: DEMO.email, role: "admin" });
    expect(admin.site).toEqual({ id: DEMO.siteId, name: DEMO.siteName });

    const wrong = await api(host, "POST", "/api/login", {
      body: { email: DEMO.email, password: "not-the-password" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    const bad = await api(host, "POST", "/api/login", { body: "{" });
    expect(bad.status).toBe(400);
    expect((await api(host, "GET", "/api/site")).status).toBe(401);
  });

  it("creates a site for the holder of its secret, with the site's own origins and admin, and deletes it", async () => {
    const id = newId("site").replace(/[^A-Za-z0-9_-]/g, "");
    const body = {
      site: { id, name: "Corner Shop", allowedOrigins: ["https://shop.example"] },
      admin: {
        email: `owner-${id}@shop.example`.toLowerCase(),
        name: "Olga",
        password: "a-long-password",
      },
    };
    const create = (token?: string) => api(host, "POST", "/api/sites", { body, token });
    expect((await create()).status).toBe(401);
    expect((await create(await signSiteToken("x".repeat(64), id, "setup"))).status).toBe(401);
    const forOther = await create(await signSiteToken(host.secret, "another-site", "setup"));
    expect(forOther).toMatchObject({ status: 403, body: { error: "forbidden" } });

    const created = await create(await signSiteToken(host.secret, id, "setup"));
    expect(created).toEqual({ status: 201, body: { created: true } });
    expect((await create(await signSiteToken(host.secret, id, "setup"))).body).toMatchObject({
      error: "site_exists",
    });
    const owner = await login(host, body.admin.email, body.admin.password);
    expect(owner.site).toEqual({ id, name: "Corner Shop" });
    const tab = track(
      await connectVisitor(host, newVisitor(), { site: id, origin: "https://shop.example" }),
    );
    expect((await tab.next("welcome")).type).toBe("welcome");

    // The holder of the secret deletes it too, with a token for that: the setup one does not.
    const remove = async (action: "setup" | "deletion") =>
      api(host, "DELETE", "/api/sites", {
        body: { confirm: id },
        token: await signSiteToken(host.secret, id, action),
      });
    expect((await remove("setup")).status).toBe(401);
    expect(await remove("deletion")).toEqual({ status: 202, body: { deleted: true } });
    expect((await api(host, "GET", "/api/site", { token: owner.token })).status).toBe(401);
  });

  it("stores a visitor's page views once, however often they come, and shows them live", async () => {
    const agent = track(await connectAgent(host, (await login(host)).token));
    await agent.next("roster");
    const visitor = newVisitor();
    const tab = track(await connectVisitor(host, visitor));
    expect(await tab.next("welcome")).toMatchObject({ visitorId: visitor.id });

    const visitId = newId("visit");
    const frame = {
      type: "track",
      events: [
        events.visit(visitId),
        events.pageview(visitId, { url: "https://shop.example/cart", title: "Cart" }),
      ],
    };
    const ids = frame.events.map((event) => event.id);
    tab.send(frame);
    expect(await tab.next("ack")).toEqual({ type: "ack", ids });
    // The outbox sends again what it did not see acknowledged: stored once all the same.
    tab.send(frame);
    expect(await tab.next("ack")).toEqual({ type: "ack", ids });

    const entry = await nextRosterEntry(agent, visitor.id, (e) => e.page?.title === "Cart");
    expect(entry).toMatchObject({ status: "online", visit: { pageviews: 1 } });
    agent.send({ type: "trail:get", visitorId: visitor.id });
    const trail = (await agent.next("trail")).trail as Trail;
    expect(trail.visits).toHaveLength(1);
    expect(trail.visits[0]?.pageviews.map((view) => view.url)).toEqual([
      "https://shop.example/cart",
    ]);

    // A tab that leaves, with no close code as browsers do, gets the relay's close frame back
    // (1005: none given); 1006 would mean that it never came and the client gave up waiting.
    tab.ws.close();
    expect((await tab.closed).code).toBe(1005);
  });

  it("refuses a visitor from an origin the site does not allow", async () => {
    const tab = track(await connectVisitor(host, newVisitor(), { origin: "https://evil.example" }));
    expect(await tab.next("error")).toMatchObject({ code: "origin_not_allowed" });
    expect((await tab.closed).code).toBe(1008);
  });

  it("answers a malformed frame with an error, and closes the socket on a binary one", async () => {
    const tab = track(await connectVisitor(host, newVisitor()));
    await tab.next("welcome");
    tab.send("{not json");
    expect(await tab.next("error")).toMatchObject({ code: "bad_json" });
    tab.send({ type: "track", events: [{ kind: "pageview" }] });
    expect(await tab.next("ack")).toMatchObject({ ids: [], rejected: [expect.any(Object)] });
    tab.ws.send(Buffer.from([1, 2, 3]));
    expect(await tab.closed).toEqual({
      code: BINARY_FRAME_REFUSED.code,
      reason: BINARY_FRAME_REFUSED.reason,
    });
  });

  it("carries a chat both ways, with a file the visitor attached", async () => {
    const agent = track(await connectAgent(host, (await login(host)).token));
    await agent.next("roster");
    const visitor = newVisitor();
    const tab = track(await connectVisitor(host, visitor));
    await tab.next("welcome");

    const uploaded = await uploadAs(host, visitor);
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as ChatFile;
    // Refused before its body is read, and refused for its size: each says why.
    const stranger = await fetch(`${host.url}/api/uploads`, {
      method: "POST",
      headers: { "x-file-name": "pixel.png", origin: host.url },
      body: PNG_PIXEL,
    });
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toMatchObject({ error: expect.any(String) });
    const tooLarge = await uploadAs(host, visitor, {
      body: new Uint8Array(UPLOAD_BYTES + 1),
      name: "big.bin",
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: "too_large_file" });
    expect(file).toMatchObject({ type: "image/png", size: PNG_PIXEL.length, image: true });

    const question = chatEvents.message("Is this in stock?", { fileId: file.id });
    tab.send({ type: "track", events: [question] });
    expect(await tab.next("ack")).toEqual({ type: "ack", ids: [question.id] });
    const chat = await nextChat(agent, visitor.id);
    expect(chat.lastMessage).toMatchObject({ text: "Is this in stock?", author: "visitor" });

    agent.send({ type: "chat:accept", chatId: visitor.id });
    expect(await agentReply(agent, tab, visitor.id, "Yes, two left.")).toMatchObject({
      author: { kind: "agent" },
      text: "Yes, two left.",
    });

    const served = await fetch(file.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG_PIXEL);
  });

  it("deletes a visitor with a long trail, the file they sent and the one they did not, on an admin's request", async () => {
    const admin = await login(host);
    const agent = track(await connectAgent(host, admin.token));
    await agent.next("roster");
    const visitor = newVisitor();
    const tab = track(await connectVisitor(host, visitor));
    await tab.next("welcome");
    // Two hundred page views: deleted in one storage call.
    const visitId = newId("visit");
    tab.send({ type: "track", events: [events.visit(visitId)] });
    await tab.next("ack");
    for (let frame = 0; frame < 4; frame++) {
      const views = Array.from({ length: 50 }, (_, i) =>
        events.pageview(visitId, { title: `Page ${frame * 50 + i}` }),
      );
      tab.send({ type: "track", events: views });
      expect(((await tab.next("ack")).ids as string[]).length).toBe(50);
    }
    agent.send({ type: "trail:get", visitorId: visitor.id });
    const trail = (await agent.next("trail")).trail as Trail;
    expect(trail.visits[0]?.pageviews).toHaveLength(200);

    const file = (await (await uploadAs(host, visitor)).json()) as ChatFile;
    tab.send({ type: "track", events: [chatEvents.message("", { fileId: file.id })] });
    await tab.next("ack");
    const unsent = (await (await uploadAs(host, visitor)).json()) as ChatFile;

    const forgotten = await api(host, "POST", "/api/visitors/forget", {
      token: admin.token,
      body: { visitorId: visitor.id },
    });
    expect(forgotten.status).toBe(204);
    expect((await tab.closed).code).toBe(1000);
    expect((await fetch(file.url)).status).toBe(404);
    expect((await fetch(unsent.url)).status).toBe(404);
    agent.send({ type: "trail:get", visitorId: visitor.id });
    expect(await agent.next("error")).toMatchObject({ code: "not_found" });
  });

  it("deletes a site on its admin's request: accounts and visitors at once, then the visitors' data; the id is not made again", async () => {
    const id = newId("gone").replace(/[^A-Za-z0-9_-]/g, "");
    const origin = "https://gone.example";
    const admin = {
      email: `owner-${id}@gone.example`.toLowerCase(),
      name: "Olga",
      password: "a-long-password",
    };
    const create = async (siteId: string) =>
      api(host, "POST", "/api/sites", {
        body: { site: { id: siteId, name: "Closing Shop", allowedOrigins: [origin] }, admin },
        token: await signSiteToken(host.secret, siteId, "setup"),
      });
    expect((await create(id)).status).toBe(201);
    const owner = await login(host, admin.email, admin.password);
    const ownerSocket = track(
      await openSocket(`${host.wsUrl}/parties/site/${id}?token=${encodeURIComponent(owner.token)}`),
    );
    await ownerSocket.next("roster");
    const visitor = newVisitor();
    const tab = track(await connectVisitor(host, visitor, { site: id, origin }));
    await tab.next("welcome");
    const visitId = newId("visit");
    tab.send({
      type: "track",
      events: [events.visit(visitId), events.pageview(visitId), chatEvents.message("Open today?")],
    });
    await tab.next("ack");

    const remove = (confirm: string) =>
      api(host, "DELETE", "/api/site", { token: owner.token, body: { confirm } });
    expect((await remove("another-id")).status).toBe(400);
    expect(await remove(id)).toEqual({ status: 202, body: { deleted: true } });
    expect(await ownerSocket.next("error")).toMatchObject({ code: "unauthorized" });
    expect((await api(host, "GET", "/api/site", { token: owner.token })).status).toBe(401);
    // The visitor's data is deleted in the background; their tab closes when it is.
    expect((await tab.closed).code).toBe(1000);
    const again = track(await connectVisitor(host, visitor, { site: id, origin }));
    expect(await again.next("error")).toMatchObject({ code: "unknown_site" });
    expect((await create(id)).body).toMatchObject({ error: "site_deleted" });
    // The admin's email is free for another site.
    expect((await create(`${id}-2`)).status).toBe(201);
  });

  it("keeps everything it acknowledged across a restart", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(host, visitor);
    await tab.next("welcome");
    const visitId = newId("visit");
    const view = events.pageview(visitId, { title: "Before the restart" });
    const message = chatEvents.message("Still there?");
    tab.send({ type: "track", events: [events.visit(visitId), view, message] });
    await tab.next("ack");

    await host.restart();
    await tab.closed;

    // The roster is a live view, saved as it goes; the visitor's own room holds what was
    // acknowledged: the trail, and the chat.
    const agent = track(await connectAgent(host, (await login(host)).token));
    const roster = await agent.next("roster");
    expect((roster.visitors as RosterEntry[]).map((e) => e.id)).toContain(visitor.id);
    const chat = await nextChat(agent, visitor.id);
    expect(chat.lastMessage).toMatchObject({ text: "Still there?" });
    agent.send({ type: "trail:get", visitorId: visitor.id });
    const trail = (await agent.next("trail")).trail as Trail;
    expect(trail.visits[0]?.pageviews.map((page) => page.title)).toEqual(["Before the restart"]);

    // The visitor comes back with the same secret: the same visitor, nothing stored twice.
    const back = track(await connectVisitor(host, visitor));
    expect(await back.next("welcome")).toMatchObject({ visitorId: visitor.id });
    back.send({ type: "track", events: [view] });
    expect(await back.next("ack")).toEqual({ type: "ack", ids: [view.id] });
    agent.send({ type: "trail:get", visitorId: visitor.id });
    const again = (await agent.next("trail")).trail as Trail;
    expect(again.visits[0]?.pageviews).toHaveLength(1);
  }, 90_000);
});
