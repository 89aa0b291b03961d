import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChatMessage,
  type LoginResponse,
  MESSAGE_LENGTH,
  type OfflineMessagesResponse,
  type SiteSettingsResponse,
} from "../../../protocol/index.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  login,
  newVisitor,
  nextChat,
  nextRosterEntry,
  nextWhere,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "../testing.ts";

let relay: TestRelay;
let admin: LoginResponse;
let agent: TestSocket;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
  agent = await connectAgent(relay, admin.token);
  await agent.next("chats");
});

afterAll(async () => {
  await agent?.close();
  await relay?.close();
});

async function visitorTab(visitor = newVisitor()) {
  const tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
  return { visitor, tab };
}

/** Sends events in one `track` frame and returns the `ack`. */
async function track(tab: TestSocket, ...events: { id: string }[]) {
  tab.send({ type: "track", events });
  return nextWhere(tab, "ack", (frame) => {
    const ids = [
      ...(frame.ids as string[]),
      ...((frame.rejected as { id: string }[]) ?? []).map((r) => r.id),
    ];
    return events.every((event) => ids.includes(event.id));
  });
}

describe("visitor messages", () => {
  it("refuse text over 5000 characters and messages with nothing in them", async () => {
    const { tab } = await visitorTab();
    const long = chatEvents.message("x".repeat(MESSAGE_LENGTH + 1));
    const empty = chatEvents.message("   ");
    const fine = chatEvents.message("x".repeat(MESSAGE_LENGTH));
    expect(await track(tab, long, empty, fine)).toEqual({
      type: "ack",
      ids: [fine.id],
      rejected: [
        {
          id: long.id,
          code: "invalid_event",
          message: "text: a message is at most 5000 characters",
        },
        { id: empty.id, code: "invalid_event", message: "A message needs text or a file" },
      ],
    });
    await tab.close();
  });

  it("refuse a file id that was never uploaded", async () => {
    const { tab } = await visitorTab();
    const event = chatEvents.message("see attached", { fileId: "nosuchfile-0001" });
    expect(await track(tab, event)).toMatchObject({
      ids: [],
      rejected: [{ id: event.id, message: "No uploaded file nosuchfile-0001" }],
    });
    await tab.close();
  });

  it("are numbered, shown on every tab, and sent again to a tab that connects later", async () => {
    const { visitor, tab } = await visitorTab();
    const other = await connectVisitor(relay, visitor);
    await other.next("welcome");
    const first = chatEvents.message("First");
    const second = chatEvents.message("Second");
    await track(tab, first, second);
    for (const socket of [tab, other]) {
      const seqs = [await socket.next("chat:message"), await socket.next("chat:message")].map(
        (frame) => (frame.message as ChatMessage).seq,
      );
      expect(seqs).toEqual([1, 2]);
    }
    const later = await connectVisitor(relay, visitor);
    expect((await later.next()).type).toBe("welcome");
    const state = await later.next();
    expect(state).toMatchObject({ type: "chat:state", status: "requested", agentReadSeq: 0 });
    expect((state.messages as ChatMessage[]).map((m) => [m.seq, m.text, m.chatId])).toEqual([
      [1, "First", visitor.id],
      [2, "Second", visitor.id],
    ]);
    expect(await later.next()).toMatchObject({ type: "availability" });
    await Promise.all([tab.close(), other.close(), later.close()]);
  });

  it("give no chat state to a visitor who never chatted", async () => {
    const { visitor } = await visitorTab();
    const tab = await connectVisitor(relay, visitor);
    expect((await tab.next()).type).toBe("welcome");
    expect((await tab.next()).type).toBe("availability");
    await tab.close();
  });
});

describe("identify", () => {
  it("shows a verified user to agents when the host signed the user id", async () => {
    const site = (await api(relay, "GET", "/api/site", { token: admin.token }))
      .body as SiteSettingsResponse;
    expect(site.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    const { visitor, tab } = await visitorTab();
    await track(tab, chatEvents.message("Where is my order?"));
    await nextChat(agent, visitor.id);

    const userHash = createHmac("sha256", site.identitySecret ?? "")
      .update("user-42")
      .digest("hex");
    const identify = chatEvents.identify({
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      userId: "user-42",
      userHash,
    });
    expect(await track(tab, identify)).toEqual({ type: "ack", ids: [identify.id] });
    expect(await nextRosterEntry(agent, visitor.id, (e) => e.contact !== undefined)).toMatchObject({
      name: "Ada Lovelace",
      contact: {
        name: "Ada Lovelace",
        email: "ada@example.com",
        phone: "+44 20 7946 0000",
        userId: "user-42",
        verified: true,
      },
    });
    expect(
      await nextChat(agent, visitor.id, (chat) => chat.visitorName === "Ada Lovelace"),
    ).toBeTruthy();
    await tab.close();
  });

  it("refuses a user id with a wrong signature, and keeps an unsigned one unverified", async () => {
    const { visitor, tab } = await visitorTab();
    const forged = chatEvents.identify({
      name: "Mallory",
      userId: "user-1",
      userHash: "0".repeat(64),
    });
    const ack = await track(tab, forged);
    expect(ack).toMatchObject({
      ids: [],
      rejected: [
        { id: forged.id, code: "invalid_event", message: expect.stringContaining("userHash") },
      ],
    });
    const unsigned = chatEvents.identify({ email: "m@example.com", userId: "user-1" });
    await track(tab, unsigned);
    const entry = await nextRosterEntry(agent, visitor.id, (e) => e.contact !== undefined);
    expect(entry.contact).toEqual({ email: "m@example.com", userId: "user-1", verified: false });
    expect(entry.name).toMatch(/^Visitor \d+$/);
    await tab.close();
  });

  it("verifies the user id it stores: the trimmed one", async () => {
    const site = (await api(relay, "GET", "/api/site", { token: admin.token }))
      .body as SiteSettingsResponse;
    const sign = (userId: string) =>
      createHmac("sha256", site.identitySecret ?? "")
        .update(userId)
        .digest("hex");
    const { visitor, tab } = await visitorTab();
    const signedWithSpaces = chatEvents.identify({ userId: " alice ", userHash: sign(" alice ") });
    expect(await track(tab, signedWithSpaces)).toMatchObject({
      ids: [],
      rejected: [{ id: signedWithSpaces.id, code: "invalid_event" }],
    });
    const signedTrimmed = chatEvents.identify({ userId: " alice ", userHash: sign("alice") });
    expect(await track(tab, signedTrimmed)).toEqual({ type: "ack", ids: [signedTrimmed.id] });
    const entry = await nextRosterEntry(agent, visitor.id, (e) => e.contact !== undefined);
    expect(entry.contact).toEqual({ userId: "alice", verified: true });
    await tab.close();
  });

  it("applies identify and custom data once per event id: one sent again changes nothing", async () => {
    const { visitor, tab } = await visitorTab();
    const oldName = chatEvents.identify({ name: "Old Name" });
    const newName = chatEvents.identify({ name: "New Name" });
    const free = chatEvents.customData({ plan: "free" });
    const pro = chatEvents.customData({ plan: "pro" });
    for (const event of [oldName, newName, free, pro]) await track(tab, event);
    // An outbox re-sends what it was not sure of: acknowledged, and the newer data stays.
    expect(await track(tab, oldName, free)).toEqual({ type: "ack", ids: [oldName.id, free.id] });
    await track(tab, chatEvents.customData({ seen: true }));
    const entry = await nextRosterEntry(agent, visitor.id, (e) => e.customData?.seen === true);
    expect(entry).toMatchObject({
      name: "New Name",
      contact: { name: "New Name" },
      customData: { plan: "pro", seen: true },
    });
    await tab.close();
  });

  it("merges custom data, and null removes a key", async () => {
    const { visitor, tab } = await visitorTab();
    await track(tab, chatEvents.customData({ plan: "pro", seats: 5, trial: true }));
    await track(tab, chatEvents.customData({ seats: 7, trial: null }));
    const entry = await nextRosterEntry(agent, visitor.id, (e) => e.customData?.seats === 7);
    expect(entry.customData).toEqual({ plan: "pro", seats: 7 });
    await tab.close();
  });
});

describe("offline messages", () => {
  it("are stored once and listed for agents, newest first", async () => {
    const { visitor, tab } = await visitorTab();
    const first = chatEvents.offline({ text: "Do you sell gift cards?" });
    const second = chatEvents.offline({
      name: "Ada",
      email: "ada@example.com",
      phone: "+1 555",
      text: "Call me",
    });
    await track(tab, first);
    await track(tab, first, second);
    const { status, body } = await api(relay, "GET", "/api/offline-messages", {
      token: admin.token,
    });
    expect(status).toBe(200);
    const mine = (body as OfflineMessagesResponse).messages.filter(
      (m) => m.visitorId === visitor.id,
    );
    expect(mine).toEqual([
      {
        id: second.id,
        visitorId: visitor.id,
        visitorName: "Ada",
        name: "Ada",
        email: "ada@example.com",
        phone: "+1 555",
        text: "Call me",
        at: expect.any(Number),
        page: null,
        status: "unread",
      },
      expect.objectContaining({ id: first.id, text: "Do you sell gift cards?" }),
    ]);
    expect((await api(relay, "GET", "/api/offline-messages")).status).toBe(401);
    await tab.close();
  });
});

describe("agent accounts", () => {
  it("see the identity secret only as admins", async () => {
    const ana = await addAgent(relay, admin.token, "Ana");
    const site = await api(relay, "GET", "/api/site", { token: ana.token });
    expect(site.status).toBe(200);
    expect(site.body).not.toHaveProperty("identitySecret");
  });
});
