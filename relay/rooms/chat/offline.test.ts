import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  LoginResponse,
  OfflineMessage,
  OfflineMessagesResponse,
} from "../../../protocol/index.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  type Frame,
  login,
  newVisitor,
  nextWhere,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "../testing.ts";

let relay: TestRelay;
let admin: LoginResponse;
let ana: LoginResponse;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
  ana = await addAgent(relay, admin.token, "Ana");
});

afterAll(async () => {
  await relay?.close();
});

/** Submits an offline form as a new visitor; resolves once the relay acknowledged it. */
async function submit(text: string) {
  const visitor = newVisitor();
  const tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
  const event = chatEvents.offline({ text });
  tab.send({ type: "track", events: [event] });
  await tab.next("ack");
  await tab.close();
  return { visitorId: visitor.id, id: event.id };
}

/** The next `offline-messages` change an agent gets about message `id`. */
async function nextChange(agent: TestSocket, id: string): Promise<Frame & { unread: number }> {
  const frame = await nextWhere(agent, "offline-messages", (f) =>
    (f.messages as OfflineMessage[]).some((m) => m.id === id),
  );
  return frame as Frame & { unread: number };
}

const statusIn = (frame: Frame, id: string) =>
  (frame.messages as OfflineMessage[]).find((m) => m.id === id)?.status;

/** The next change an agent gets that gives message `id` this status. */
async function nextStatus(agent: TestSocket, id: string, status: string) {
  const frame = await nextWhere(agent, "offline-messages", (f) => statusIn(f, id) === status);
  return frame as Frame & { unread: number };
}

async function listed(token = ana.token): Promise<OfflineMessagesResponse> {
  return (await api(relay, "GET", "/api/offline-messages", { token }))
    .body as OfflineMessagesResponse;
}

describe("offline messages in the agents' inbox", () => {
  it("reach connected agents live, unread, with the site's unread count", async () => {
    const agent = await connectAgent(relay, ana.token);
    const first = (await agent.next("offline-messages")) as Frame & { unread: number };
    expect(first).toMatchObject({ full: true, messages: [] });
    const { id, visitorId } = await submit("Do you ship to Porto?");
    const change = await nextChange(agent, id);
    expect(change).toMatchObject({
      full: false,
      unread: first.unread + 1,
      messages: [{ id, visitorId, text: "Do you ship to Porto?", status: "unread" }],
    });
    await agent.close();
  });

  it("share read and done between agents, undo included, and keep the count", async () => {
    const ana1 = await connectAgent(relay, ana.token);
    const boss = await connectAgent(relay, admin.token);
    await ana1.next("offline-messages");
    await boss.next("offline-messages");
    const { id } = await submit("Is the blue lamp back in stock?");
    const unread = (await nextChange(boss, id)).unread;
    await nextChange(ana1, id);

    ana1.send({ type: "offline:mark", id, status: "read" });
    const read = await nextStatus(boss, id, "read");
    expect(read.unread).toBe(unread - 1);

    boss.send({ type: "offline:mark", id, status: "done" });
    expect((await nextStatus(ana1, id, "done")).unread).toBe(unread - 1);

    ana1.send({ type: "offline:mark", id, status: "read" });
    await nextStatus(boss, id, "read");
    expect((await listed()).messages.find((m) => m.id === id)?.status).toBe("read");
    await ana1.close();
    await boss.close();
  });

  it("refuse unknown messages and unknown statuses", async () => {
    const agent = await connectAgent(relay, ana.token);
    await agent.next("offline-messages");
    agent.send({ type: "offline:mark", id: "no-such-message", status: "read" });
    expect(await agent.next("error")).toMatchObject({ code: "not_found" });
    agent.send({ type: "offline:mark", id: "no-such-message", status: "archived" });
    expect(await agent.next("error")).toMatchObject({ code: "bad_frame" });
    await agent.close();
  });

  it("take a status over HTTP too, for signed-in agents, validated", async () => {
    const agent = await connectAgent(relay, admin.token);
    await agent.next("offline-messages");
    const { id } = await submit("Can I change my order?");
    const path = "/api/offline-messages/status";
    const done = await api(relay, "POST", path, { token: ana.token, body: { id, status: "done" } });
    expect(done).toMatchObject({ status: 200, body: { message: { id, status: "done" } } });
    await nextStatus(agent, id, "done");
    expect(await api(relay, "POST", path, { body: { id, status: "read" } })).toMatchObject({
      status: 401,
    });
    expect(
      await api(relay, "POST", path, { token: ana.token, body: { id, status: "archived" } }),
    ).toMatchObject({ status: 400, body: { error: "bad_body" } });
    expect(
      await api(relay, "POST", path, {
        token: ana.token,
        body: { id: "no-such-message", status: "read" },
      }),
    ).toMatchObject({ status: 404, body: { error: "not_found" } });
    await agent.close();
  });

  it("keep statuses and the unread count over a restart", async () => {
    const { id } = await submit("Please call me");
    const agent = await connectAgent(relay, ana.token);
    await agent.next("offline-messages");
    agent.send({ type: "offline:mark", id, status: "done" });
    await nextStatus(agent, id, "done");
    await agent.close();
    const before = await listed();

    await relay.restart();
    ana = await login(relay, ana.agent.email, "agent-password");
    const after = await listed();
    expect(after.unread).toBe(before.unread);
    expect(after.messages.find((m) => m.id === id)?.status).toBe("done");
  });
});
