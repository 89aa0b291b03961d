/**
 * The Cloudflare host after hibernation: workerd, as Cloudflare does, takes a Durable Object
 * whose sockets are all hibernatable out of memory after 10 s without work, and makes it again
 * for the next frame. The rooms must carry on from storage and from what each socket keeps
 * (its tags and state): the visitor's trail and live entry, the agent's session and presence,
 * the visitor's tabs, a chat. The objects log at `debug` when they start with sockets open,
 * which shows that they did hibernate.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Trail } from "../../protocol/index.ts";
import { startWranglerDev, type WranglerDev } from "../hosts/cloudflare/dev-server.ts";
import {
  agentReply,
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
  type TestSocket,
} from "../rooms/testing.ts";

/** workerd's 10 s without work, and some slack for a busy machine. */
const IDLE_MS = 15_000;

let dev: WranglerDev;
let persistTo: string;
const opened: TestSocket[] = [];

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), "parley-hibernation-"));
  const secret = randomBytes(24).toString("hex");
  dev = await startWranglerDev({ persistTo, secret, demo: true, log: "debug" });
}, 90_000);

afterAll(async () => {
  await Promise.all(opened.map((socket) => socket.close()));
  await dev?.stop();
  rmSync(persistTo, { recursive: true, force: true });
}, 30_000);

/** The rooms that logged starting with sockets open, once per wake: those that hibernated. */
function wakes(): string[] {
  return [...dev.output().matchAll(/"message":"room started with sockets open","room":"([^"]+)"/g)]
    .map((match) => match[1] as string)
    .sort();
}

const idle = () => new Promise((done) => setTimeout(done, IDLE_MS));

it("carries a visitor's trail, the live list and a chat on after the rooms hibernate", async () => {
  const host = { url: dev.url, wsUrl: dev.url.replace(/^http/, "ws") };
  const admin = await login(host);
  const agent = await connectAgent(host, admin.token);
  opened.push(agent);
  await agent.next("roster");
  const visitor = newVisitor();
  const tab = await connectVisitor(host, visitor);
  opened.push(tab);
  await tab.next("welcome");
  const visitId = newId("visit");
  tab.send({
    type: "track",
    events: [events.visit(visitId), events.pageview(visitId, { title: "Home" })],
  });
  await tab.next("ack");
  await nextRosterEntry(agent, visitor.id, (entry) => entry.page?.title === "Home");
  expect(wakes()).toEqual([]);

  // Nothing more before the idle: a second roster change within 30 s would hold the site room in
  // memory until its coalesced roster save (ROSTER_SAVE_MS) has run.
  await idle();
  // The visitor's next page view wakes its room, which tells the site room: both start again.
  const cart = events.pageview(visitId, { url: "https://shop.example/cart", title: "Cart" });
  tab.send({ type: "track", events: [cart] });
  expect(await tab.next("ack")).toEqual({ type: "ack", ids: [cart.id] });
  const entry = await nextRosterEntry(agent, visitor.id, (e) => e.page?.title === "Cart");
  expect(entry).toMatchObject({ status: "online", visits: 1, visit: { pageviews: 2 } });
  // wrangler passes the objects' log lines on a little after they are written.
  await expect.poll(wakes).toEqual([`site/${DEMO.siteId}`, `visitor/${visitor.id}`]);
  // The agent's socket is still signed in: the trail comes, both page views in it.
  agent.send({ type: "trail:get", visitorId: visitor.id });
  const trail = (await agent.next("trail")).trail as Trail;
  expect(trail.visits[0]?.pageviews.map((view) => view.title)).toEqual(["Home", "Cart"]);

  // The woken site room knows its agent is online: a chat goes to them and back.
  tab.send({ type: "track", events: [chatEvents.message("Do you ship to Lisbon?")] });
  await tab.next("ack");
  await nextChat(agent, visitor.id, (chat) => chat.status === "requested");
  expect(await agentReply(agent, tab, visitor.id, "We do.")).toMatchObject({
    author: { kind: "agent" },
    text: "We do.",
  });

  // The visitor's room hibernates again with the chat under way, and carries it on.
  await idle();
  tab.send({ type: "track", events: [chatEvents.message("By Friday?")] });
  await tab.next("ack");
  const chat = await nextChat(agent, visitor.id, (c) => c.lastMessage?.text === "By Friday?");
  expect(chat).toMatchObject({ status: "active", assigneeId: admin.agent.id });
  expect(await agentReply(agent, tab, visitor.id, "Yes, by Thursday.")).toMatchObject({
    author: { kind: "agent" },
    text: "Yes, by Thursday.",
  });
  await expect
    .poll(() => wakes().filter((room) => room === `visitor/${visitor.id}`))
    .toHaveLength(2);
}, 90_000);
