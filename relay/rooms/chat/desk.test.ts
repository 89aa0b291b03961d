import type Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage, ChatSummary, LoginResponse } from "../../../protocol/index.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  type Frame,
  login,
  newId,
  newVisitor,
  nextChat,
  nextRosterEntry,
  nextWhere,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "../testing.ts";
import { CLOSED_CHATS_LISTED, INDEXING_PAGE } from "./desk.ts";

let relay: TestRelay;
let admin: LoginResponse;
/** Sockets a test opened; closed after it, so no agent stays online into the next test. */
let opened: TestSocket[] = [];

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
});

afterEach(async () => {
  await Promise.all(opened.map((socket) => socket.close()));
  opened = [];
});

afterAll(async () => {
  await relay?.close();
});

type Agent = { id: string; name: string; token: string; socket: TestSocket };

/** New agents of the demo site, each signed in with a socket open past its chat list. */
async function agentsOnline<Names extends string[]>(
  ...names: Names
): Promise<{ [K in keyof Names]: Agent }> {
  const agents: Agent[] = [];
  for (const name of names) {
    const session = await addAgent(relay, admin.token, name);
    const socket = await connectAgent(relay, session.token);
    opened.push(socket);
    await nextWhere(socket, "chats", (frame) => frame.full === true);
    agents.push({ id: session.agent.id, name, token: session.token, socket });
  }
  return agents as { [K in keyof Names]: Agent };
}

/** A visitor tab past its `welcome` (and a second tab of the same visitor when asked). */
async function visitorTab(visitor = newVisitor()) {
  const tab = await connectVisitor(relay, visitor);
  opened.push(tab);
  await tab.next("welcome");
  return { visitor, tab, chatId: visitor.id };
}

/** The visitor writes; resolves once the relay acknowledged the message. */
async function say(tab: TestSocket, text: string, id = newId("msg")) {
  const event = chatEvents.message(text, { id });
  tab.send({ type: "track", events: [event] });
  await nextWhere(tab, "ack", (frame) => (frame.ids as string[]).includes(event.id));
  return event;
}

/** An agent writes; resolves with the `ack` once the message is stored. */
async function reply(agent: Agent, chatId: string, text: string, fields: object = {}) {
  const id = (fields as { id?: string }).id ?? newId("reply");
  agent.socket.send({ type: "chat:send", chatId, id, text, ...fields });
  return nextWhere(agent.socket, "ack", (frame) => (frame.ids as string[]).includes(id));
}

function messageOf(frame: Frame): ChatMessage {
  return frame.message as ChatMessage;
}

function framesWith(socket: TestSocket, type: string, match: (frame: Frame) => boolean) {
  return socket.frames.filter((frame) => frame.type === type && match(frame));
}

describe("a visitor's message", () => {
  it("reaches every agent as a request, with a notification and the message itself", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Do you ship to Spain?");

    for (const agent of [ana, ben]) {
      const chat = await nextChat(agent.socket, chatId);
      expect(chat).toMatchObject({
        status: "requested",
        round: 1,
        assigneeId: null,
        unread: 1,
        visitorName: expect.stringMatching(/^Visitor \d+$/),
        lastMessage: { text: "Do you ship to Spain?", author: "visitor" },
      });
      expect(await nextWhere(agent.socket, "notify")).toMatchObject({
        kind: "request",
        chatId,
        sound: false,
        text: "Do you ship to Spain?",
      });
      const frame = await nextWhere(agent.socket, "chat:message");
      expect(frame.chatId).toBe(chatId);
      expect(messageOf(frame)).toMatchObject({
        seq: 1,
        text: "Do you ship to Spain?",
        author: { kind: "visitor" },
      });
    }
    expect(await tab.next("chat:state")).toMatchObject({ status: "requested", agents: [] });
    expect(messageOf(await tab.next("chat:message"))).toMatchObject({ seq: 1, chatId });
  });

  it("goes to the first agent who accepts, and leaves the other's requests", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hello?");
    await nextChat(ben.socket, chatId, (chat) => chat.status === "requested");

    ana.socket.send({ type: "chat:accept", chatId });
    expect(await nextChat(ben.socket, chatId, (chat) => chat.status !== "requested")).toMatchObject(
      {
        status: "active",
        assigneeId: ana.id,
        participants: [ana.id],
      },
    );
    expect(await nextWhere(tab, "chat:state", (f) => f.status === "active")).toMatchObject({
      agents: [{ id: ana.id, name: "Ana" }],
    });
    expect(
      messageOf(await nextWhere(tab, "chat:message", (f) => messageOf(f).seq === 2)),
    ).toMatchObject({
      author: { kind: "system" },
      text: "Ana joined the chat",
    });

    ben.socket.send({ type: "chat:accept", chatId });
    expect(await ben.socket.next("error")).toMatchObject({ code: "not_allowed" });
    const id = newId("reply");
    ben.socket.send({ type: "chat:send", chatId, id, text: "I can help too" });
    expect(await ben.socket.next("error")).toMatchObject({ code: "not_allowed" });
    expect(await ben.socket.next("ack")).toMatchObject({
      ids: [],
      rejected: [{ id, code: "not_allowed" }],
    });
  });
});

describe("agents' messages", () => {
  it("reach every tab of the visitor once, and a re-sent id is stored once", async () => {
    const [ana] = await agentsOnline("Ana");
    const { visitor, tab, chatId } = await visitorTab();
    const second = await connectVisitor(relay, visitor);
    opened.push(second);
    await second.next("welcome");
    await say(tab, "Is this in stock?");

    // A reply to a request takes it.
    const id = newId("reply");
    expect(await reply(ana, chatId, "Yes, 3 left", { id })).toEqual({ type: "ack", ids: [id] });
    await reply(ana, chatId, "Yes, 3 left", { id });
    await reply(ana, chatId, "Anything else?");
    for (const socket of [tab, second]) {
      await nextWhere(socket, "chat:message", (f) => messageOf(f).text === "Anything else?");
      expect(framesWith(socket, "chat:message", (f) => messageOf(f).id === id)).toHaveLength(1);
      expect(
        messageOf(framesWith(socket, "chat:message", (f) => messageOf(f).id === id)[0] as Frame),
      ).toMatchObject({
        author: { kind: "agent", agentId: ana.id, name: "Ana" },
        text: "Yes, 3 left",
      });
    }
    const chat = await nextChat(
      ana.socket,
      chatId,
      (c) => c.lastMessage?.text === "Anything else?",
    );
    expect(chat).toMatchObject({ status: "active", assigneeId: ana.id, unread: 0 });

    // Re-sent after the chat was resolved, the stored message changes nothing.
    ana.socket.send({ type: "chat:resolve", chatId });
    await nextChat(ana.socket, chatId, (c) => c.status === "resolved");
    await reply(ana, chatId, "Yes, 3 left", { id });
    await say(tab, "Thanks, bye");
    expect(
      await nextChat(ana.socket, chatId, (c) => c.lastMessage?.text === "Thanks, bye"),
    ).toMatchObject({
      status: "requested",
    });
  });

  it("never show a private note to the visitor, live or in the history", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { visitor, tab, chatId } = await visitorTab();
    await say(tab, "My parcel is late");
    await reply(ana, chatId, "Let me check");
    await reply(ana, chatId, "Carrier lost it, refund", { note: true });
    await reply(ana, chatId, "I have sent a new one");

    await nextWhere(tab, "chat:message", (f) => messageOf(f).text === "I have sent a new one");
    expect(JSON.stringify(tab.frames)).not.toContain("refund");
    const later = await connectVisitor(relay, visitor);
    opened.push(later);
    await later.next("welcome");
    const state = await later.next("chat:state");
    expect((state.messages as ChatMessage[]).map((m) => m.text)).toEqual([
      "My parcel is late",
      "Ana joined the chat",
      "Let me check",
      "I have sent a new one",
    ]);

    // Colleagues see it: Ben opens the chat.
    ben.socket.send({ type: "chat:open", chatId });
    const history = await ben.socket.next("chat:history");
    expect((history.messages as ChatMessage[]).find((m) => m.note)).toMatchObject({
      text: "Carrier lost it, refund",
      author: { kind: "agent", agentId: ana.id },
    });
    // And Ben, having opened it, sees its next messages live.
    await say(tab, "Thanks!");
    expect(
      messageOf(
        await nextWhere(ben.socket, "chat:message", (f) => messageOf(f).text === "Thanks!"),
      ),
    ).toMatchObject({
      author: { kind: "visitor" },
    });
  });

  it("refuse text over the limit", async () => {
    const [ana] = await agentsOnline("Ana");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hi");
    ana.socket.send({ type: "chat:send", chatId, id: newId("long"), text: "x".repeat(5001) });
    expect(await ana.socket.next("error")).toMatchObject({
      code: "bad_frame",
      message: expect.stringContaining("at most 5000 characters"),
    });
  });
});

describe("typing and read marks", () => {
  it("show the visitor's typing preview to agents, cut and coalesced", async () => {
    const [ana] = await agentsOnline("Ana");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Question");
    tab.send({ type: "chat:typing", text: "y".repeat(600) });
    expect(await nextWhere(ana.socket, "chat:typing")).toEqual({
      type: "chat:typing",
      chatId,
      visitor: { text: "y".repeat(500) },
    });
    const start = Date.now();
    for (let i = 1; i <= 12; i++)
      tab.send({ type: "chat:typing", text: `Can I pay by car${"d".repeat(i)}` });
    await nextWhere(ana.socket, "chat:typing", (f) =>
      (f.visitor as { text: string }).text.endsWith("d".repeat(12)),
    );
    const previews = framesWith(ana.socket, "chat:typing", () => true);
    // The first at once, then at most one per 250 ms.
    expect(previews.length).toBeLessThanOrEqual(2 + Math.ceil((Date.now() - start) / 250));
    expect(previews.length).toBeLessThan(13);
  });

  it("show agents' typing to the visitor", async () => {
    const [ana] = await agentsOnline("Ana");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hi");
    await reply(ana, chatId, "Hello");
    ana.socket.send({ type: "chat:typing", chatId, typing: true });
    expect(await tab.next("chat:typing")).toEqual({
      type: "chat:typing",
      agent: { id: ana.id, name: "Ana" },
      typing: true,
    });
  });

  it("go both ways, and unread counts are each agent's own", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "One");
    await say(tab, "Two");
    await nextChat(ben.socket, chatId, (chat) => chat.unread === 2);

    ana.socket.send({ type: "chat:read", chatId, seq: 2 });
    expect(await nextChat(ana.socket, chatId, (chat) => chat.unread === 0)).toMatchObject({
      status: "requested",
    });
    expect(await nextWhere(tab, "chat:read")).toEqual({ type: "chat:read", seq: 2 });
    // Ben has not read them.
    ben.socket.send({ type: "chat:open", chatId });
    await ben.socket.next("chat:history");
    await say(tab, "Three");
    expect(
      await nextChat(ben.socket, chatId, (chat) => chat.lastMessage?.text === "Three"),
    ).toMatchObject({ unread: 3 });

    await reply(ana, chatId, "Hi there");
    const seq = messageOf(
      await nextWhere(tab, "chat:message", (f) => messageOf(f).text === "Hi there"),
    ).seq;
    tab.send({ type: "chat:read", seq });
    expect(await nextWhere(ana.socket, "chat:read")).toEqual({
      type: "chat:read",
      chatId,
      visitorReadSeq: seq,
    });
    ana.socket.send({ type: "chat:open", chatId });
    expect(await ana.socket.next("chat:history")).toMatchObject({ visitorReadSeq: seq });
  });
});

describe("routing", () => {
  it("assigns chats in turn in auto mode, skipping agents who are away", async () => {
    await api(relay, "PUT", "/api/site", { token: admin.token, body: { routing: "auto" } });
    try {
      const [ana, ben] = await agentsOnline("Ana", "Ben");
      ben.socket.send({ type: "agent:status", status: "away" });
      await nextWhere(ana.socket, "agents", (frame) =>
        (frame.agents as { id: string; status: string }[]).some(
          (a) => a.id === ben.id && a.status === "away",
        ),
      );

      const assignees: string[] = [];
      for (let i = 0; i < 3; i++) {
        if (i === 2) {
          ben.socket.send({ type: "agent:status", status: "online" });
          await nextWhere(ana.socket, "agents", (frame) =>
            (frame.agents as { id: string; status: string }[]).some(
              (a) => a.id === ben.id && a.status === "online",
            ),
          );
        }
        const { tab, chatId } = await visitorTab();
        await say(tab, `Hello ${i}`);
        const chat = await nextChat(ana.socket, chatId, (c) => c.status === "active");
        assignees.push(chat.assigneeId ?? "");
        const assignee = chat.assigneeId === ana.id ? ana : ben;
        expect(
          await nextWhere(assignee.socket, "notify", (f) => f.chatId === chatId),
        ).toMatchObject({
          kind: "assigned",
          sound: true,
        });
        expect(
          await nextWhere(tab, "chat:message", (f) => messageOf(f).author.kind === "system"),
        ).toMatchObject({
          message: { text: `${assignee.name} joined the chat` },
        });
      }
      // Ben was away for the first two; back online, it is his turn after Ana's.
      expect(assignees).toEqual([ana.id, ana.id, ben.id]);
      expect(framesWith(ben.socket, "notify", () => true)).toHaveLength(1);
    } finally {
      await api(relay, "PUT", "/api/site", { token: admin.token, body: { routing: "manual" } });
    }
  });

  it("makes a request missed when it is ignored in every round", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Anyone?");
    for (const round of [1, 2, 3]) {
      await nextChat(
        ana.socket,
        chatId,
        (chat) => chat.round === round && chat.status === "requested",
      );
      expect(await nextWhere(ben.socket, "notify", (f) => f.chatId === chatId)).toMatchObject({
        kind: "request",
        sound: round > 1,
      });
      (round === 2 ? ben : ana).socket.send({ type: "chat:ignore", chatId, round });
    }
    expect(await nextChat(ana.socket, chatId, (chat) => chat.status === "missed")).toMatchObject({
      assigneeId: null,
    });
    expect(await nextWhere(tab, "chat:state", (f) => f.status === "missed")).toMatchObject({
      agents: [],
    });
  });

  it("opens a resolved chat again as a request when the visitor writes", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hi");
    await reply(ana, chatId, "Hello! Solved?");
    ana.socket.send({ type: "chat:resolve", chatId });
    expect(await nextChat(ben.socket, chatId, (chat) => chat.status === "resolved")).toMatchObject({
      assigneeId: ana.id,
    });
    expect(await nextWhere(tab, "chat:state", (f) => f.status === "resolved")).toBeTruthy();

    await say(tab, "One more thing");
    expect(await nextChat(ben.socket, chatId, (chat) => chat.status === "requested")).toMatchObject(
      {
        round: 1,
        assigneeId: null,
        lastMessage: { text: "One more thing" },
      },
    );
    expect(
      await nextWhere(
        ben.socket,
        "notify",
        (f) => f.chatId === chatId && f.text === "One more thing",
      ),
    ).toMatchObject({ kind: "request", sound: false });
    // The system lines since the last forward ("Ana joined the chat") come back with the
    // visitor's message; agents get each message once.
    await nextWhere(ben.socket, "chat:message", (f) => messageOf(f).text === "One more thing");
    const ids = framesWith(ben.socket, "chat:message", (f) => f.chatId === chatId).map(
      (f) => messageOf(f).id,
    );
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("transfers and invitations", () => {
  it("move a transferred chat to the agent who accepts it", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "I want a refund");
    await reply(ana, chatId, "One moment");

    ana.socket.send({ type: "chat:transfer", chatId, agentId: ben.id, note: "Refunds are Ben's" });
    expect(await nextWhere(ben.socket, "notify", (f) => f.kind === "transfer")).toMatchObject({
      chatId,
      sound: true,
      text: "Ana transfers a chat to you: Refunds are Ben's",
    });
    expect(await nextChat(ben.socket, chatId, (chat) => chat.offer !== null)).toMatchObject({
      offer: { kind: "transfer", from: ana.id, to: ben.id, note: "Refunds are Ben's" },
    });
    ben.socket.send({ type: "chat:join", chatId });
    expect(await nextChat(ana.socket, chatId, (chat) => chat.assigneeId === ben.id)).toMatchObject({
      participants: [ben.id],
      offer: null,
    });
    expect(
      await nextWhere(
        tab,
        "chat:message",
        (f) => messageOf(f).author.kind === "system" && messageOf(f).text.includes("transferred"),
      ),
    ).toMatchObject({
      message: { text: "The chat was transferred to Ben" },
    });
    expect(
      await nextWhere(tab, "chat:state", (f) => (f.agents as { id: string }[])[0]?.id === ben.id),
    ).toMatchObject({
      status: "active",
      agents: [{ id: ben.id, name: "Ben" }],
    });
    ana.socket.send({ type: "chat:send", chatId, id: newId("late"), text: "Still here" });
    expect(await ana.socket.next("error")).toMatchObject({ code: "not_allowed" });
    await reply(ben, chatId, "Refund sent");
  });

  it("add an invited agent beside the assignee when they join", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Tricky question");
    await reply(ana, chatId, "Let me ask a colleague");
    ana.socket.send({ type: "chat:invite", chatId, agentId: ben.id });
    expect(await nextWhere(ben.socket, "notify", (f) => f.kind === "invite")).toMatchObject({
      chatId,
      sound: true,
    });
    ben.socket.send({ type: "chat:join", chatId });
    expect(
      await nextChat(ana.socket, chatId, (chat) => chat.participants.length === 2),
    ).toMatchObject({
      assigneeId: ana.id,
      participants: [ana.id, ben.id],
    });
    await nextWhere(tab, "chat:message", (f) => messageOf(f).text === "Ben joined the chat");
    await reply(ben, chatId, "Here is the answer");
    expect(
      messageOf(
        await nextWhere(
          ana.socket,
          "chat:message",
          (f) => messageOf(f).text === "Here is the answer",
        ),
      ),
    ).toMatchObject({
      author: { kind: "agent", agentId: ben.id },
    });
    await nextWhere(tab, "chat:message", (f) => messageOf(f).text === "Here is the answer");
  });

  it("refuse offers from agents who may not make them", async () => {
    const [ana, ben, cy] = await agentsOnline("Ana", "Ben", "Cy");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hi");
    await reply(ana, chatId, "Hello");
    ben.socket.send({ type: "chat:transfer", chatId, agentId: cy.id });
    expect(await ben.socket.next("error")).toMatchObject({ code: "not_allowed" });
    ana.socket.send({ type: "chat:invite", chatId, agentId: newId("nobody") });
    expect(await ana.socket.next("error")).toMatchObject({ code: "not_found" });
    cy.socket.send({ type: "chat:join", chatId });
    expect(await cy.socket.next("error")).toMatchObject({ code: "not_allowed" });
  });
});

describe("agent presence", () => {
  it("sends away agents no requests, and tells visitors when nobody is available", async () => {
    const [ana] = await agentsOnline("Ana");
    const { tab, chatId, visitor } = await visitorTab();
    expect(await tab.next("availability")).toEqual({ type: "availability", online: true });
    await nextRosterEntry(ana.socket, visitor.id);

    ana.socket.send({ type: "agent:status", status: "away" });
    expect(await tab.next("availability")).toEqual({ type: "availability", online: false });
    await say(tab, "Hello?");
    await nextChat(ana.socket, chatId, (chat) => chat.status === "requested");

    ana.socket.send({ type: "agent:status", status: "online" });
    expect(await tab.next("availability")).toEqual({ type: "availability", online: true });
    expect(framesWith(ana.socket, "notify", () => true)).toEqual([]);

    await ana.socket.close();
    expect(await tab.next("availability")).toEqual({ type: "availability", online: false });
  });
});

describe("an agent removed from the site", () => {
  it("lets go of them: their chat goes back to the queue, their console closes, their email is free", async () => {
    const [ana, ben] = await agentsOnline("Ana", "Ben");
    const { tab, chatId } = await visitorTab();
    await say(tab, "Hello?");
    ana.socket.send({ type: "chat:accept", chatId });
    await nextChat(ben.socket, chatId, (chat) => chat.assigneeId === ana.id);
    const remove = (agentId: string, token = admin.token) =>
      api(relay, "POST", "/api/agents/remove", { token, body: { agentId } });

    expect((await remove(ana.id, ben.token)).status).toBe(403);
    expect(await remove(admin.agent.id)).toMatchObject({ status: 400 });
    expect((await remove("no-such-agent")).status).toBe(404);
    const removed = await remove(ana.id);
    expect(removed).toMatchObject({ status: 200, body: { id: ana.id, name: "Ana" } });

    expect(await nextChat(ben.socket, chatId, (chat) => chat.status === "requested")).toMatchObject(
      { assigneeId: null, participants: [] },
    );
    expect(await nextWhere(tab, "chat:state", (f) => f.status === "requested")).toMatchObject({
      agents: [],
    });
    expect(
      messageOf(
        await nextWhere(tab, "chat:message", (f) => messageOf(f).text === "Ana left the chat"),
      ),
    ).toMatchObject({ author: { kind: "system" } });
    expect(await ana.socket.next("error")).toMatchObject({ code: "unauthorized" });
    expect((await ana.socket.closed).code).toBe(1008);
    expect((await api(relay, "GET", "/api/site", { token: ana.token })).status).toBe(401);
    const { email } = removed.body as { email: string };
    expect(
      (await api(relay, "POST", "/api/login", { body: { email, password: "agent-password" } }))
        .status,
    ).toBe(401);
    const again = await api(relay, "POST", "/api/agents", {
      token: admin.token,
      body: { email, name: "Ana", password: "another-password", role: "agent" },
    });
    expect(again.status).toBe(201);
  });
});

describe("closed chats", () => {
  const closed = (chat: ChatSummary) => chat.status === "resolved" || chat.status === "missed";
  const closedOf = (chats: ChatSummary[]) => chats.filter(closed);
  const openIdsOf = (chats: ChatSummary[]) =>
    chats
      .filter((chat) => !closed(chat))
      .map((chat) => chat.id)
      .sort();

  /** CLOSED_CHATS_LISTED chats of new visitors, resolved by `agents` in equal shares. */
  async function resolveNewChats(agents: Agent[]): Promise<void> {
    const resolved = new Set<string>();
    for (const agent of agents) {
      const chatIds = await Promise.all(
        Array.from({ length: CLOSED_CHATS_LISTED / agents.length }, async () => {
          const other = await visitorTab();
          await say(other.tab, "Just browsing");
          agent.socket.send({ type: "chat:resolve", chatId: other.chatId });
          return other.chatId;
        }),
      );
      await nextWhere(agent.socket, "chats", (frame) => {
        for (const chat of frame.chats as ChatSummary[]) {
          if (chat.status === "resolved") resolved.add(chat.id);
        }
        return chatIds.every((id) => resolved.has(id));
      });
    }
  }

  /** A new socket of the agent signed in with `token`, and the chats its first frame lists. */
  async function connectAndList(token: string) {
    const socket = await connectAgent(relay, token);
    opened.push(socket);
    const frame = await nextWhere(socket, "chats", (f) => f.full === true);
    return { socket, listed: frame.chats as ChatSummary[] };
  }

  it("past the latest 100 leave memory, come back whole when the visitor writes, and stay out after a restart", async () => {
    // Five agents share the resolving, each within the frame rate limit.
    const agents = await agentsOnline("Ana", "Ben", "Cy", "Di", "Ed");
    const [ana] = agents;
    const { tab, chatId } = await visitorTab();
    await say(tab, "Is this in stock?");
    ana.socket.send({ type: "chat:resolve", chatId });
    await nextChat(ana.socket, chatId, (chat) => chat.status === "resolved" && chat.unread === 1);
    // CLOSED_CHATS_LISTED newer closed chats push it out of the agents' lists and of memory.
    await resolveNewChats(agents);
    const { socket, listed } = await connectAndList(ana.token);
    expect(closedOf(listed)).toHaveLength(CLOSED_CHATS_LISTED);
    expect(listed.map((chat) => chat.id)).not.toContain(chatId);

    // Read back from storage: the first question is still unread beside the new one.
    await say(tab, "Hello again?");
    expect(await nextChat(socket, chatId, (chat) => chat.status === "requested")).toMatchObject({
      unread: 2,
      lastMessage: { text: "Hello again?" },
    });

    ana.socket.send({ type: "chat:resolve", chatId });
    await nextChat(socket, chatId, (chat) => chat.status === "resolved");

    // After a restart the site room again keeps (and lists) only the latest closed chats.
    await Promise.all(opened.map((socket) => socket.close()));
    opened = [];
    await relay.restart();
    const { listed: relisted } = await connectAndList(ana.token);
    expect(closedOf(relisted)).toHaveLength(CLOSED_CHATS_LISTED);
    expect(closedOf(relisted).map((chat) => chat.id)).toContain(chatId);
  });

  it("a start reads only the open chats and the latest closed, through an index that sites from before it get on their first start", async () => {
    const agents = await agentsOnline("Flo", "Gus", "Hal", "Ida", "Jo");
    // One closed chat past the latest CLOSED_CHATS_LISTED, and one open.
    const first = await visitorTab();
    await say(first.tab, "Do you ship abroad?");
    agents[0].socket.send({ type: "chat:resolve", chatId: first.chatId });
    await nextChat(agents[0].socket, first.chatId, (chat) => chat.status === "resolved");
    const { tab, chatId: openId } = await visitorTab();
    await say(tab, "Anyone there?");
    await resolveNewChats(agents);
    const { listed: before } = await connectAndList(agents[0].token);
    expect(openIdsOf(before)).toContain(openId);
    await Promise.all(opened.map((socket) => socket.close()));
    opened = [];

    // The index as saves keep it; then a site from before it: the first start indexes every chat.
    const room = "site/demo";
    const count = (db: Database.Database, pattern: string) =>
      (
        db
          .prepare("SELECT count(*) AS n FROM kv WHERE room = ? AND key LIKE ?")
          .get(room, pattern) as { n: number }
      ).n;
    /** Checks that the index names every stored chat once; the number of chats. */
    const indexedChats = (db: Database.Database) => {
      const chats = count(db, "chat:%");
      expect(count(db, "chat-open:%") + count(db, "chat-closed:%")).toBe(chats);
      return chats;
    };
    await relay.restart((db) => {
      indexedChats(db);
      db.prepare("DELETE FROM kv WHERE room = ? AND key LIKE 'chat-%'").run(room);
      db.prepare("DELETE FROM kv WHERE room = ? AND key = 'chats-indexed'").run(room);
    });
    const { listed: migrated } = await connectAndList(agents[0].token);
    expect(openIdsOf(migrated)).toEqual(openIdsOf(before));
    expect(closedOf(migrated)).toHaveLength(CLOSED_CHATS_LISTED);
    await Promise.all(opened.map((socket) => socket.close()));
    opened = [];

    // The oldest closed chat is made to read as open in storage: a start that read it would list it.
    let oldest = "";
    await relay.restart((db) => {
      // More than a page, so the first start indexed them page by page.
      expect(indexedChats(db)).toBeGreaterThan(INDEXING_PAGE);
      const { value } = db
        .prepare("SELECT value FROM kv WHERE room = ? AND key LIKE 'chat-closed:%' ORDER BY key")
        .get(room) as { value: string };
      oldest = JSON.parse(value) as string;
      db.prepare(
        "UPDATE kv SET value = json_set(value, '$.status', 'requested') WHERE room = ? AND key = ?",
      ).run(room, `chat:${oldest}`);
    });
    const { listed: later } = await connectAndList(agents[0].token);
    expect(later.map((chat) => chat.id)).not.toContain(oldest);
    expect(openIdsOf(later)).toEqual(openIdsOf(before));
    expect(closedOf(later)).toHaveLength(CLOSED_CHATS_LISTED);
  });
});

describe("after a restart", () => {
  it("stores re-sent messages once, from visitors and agents", async () => {
    const [ana] = await agentsOnline("Ana");
    const { visitor, tab, chatId } = await visitorTab();
    const question = await say(tab, "Do you deliver on Sundays?");
    const answerId = newId("reply");
    await reply(ana, chatId, "No, Monday to Saturday", { id: answerId });
    await nextWhere(tab, "chat:message", (f) => messageOf(f).id === answerId);
    await Promise.all(opened.map((socket) => socket.close()));
    opened = [];

    await relay.restart();
    const again = await connectVisitor(relay, visitor);
    opened.push(again);
    await again.next("welcome");
    again.send({ type: "track", events: [question] });
    expect(await again.next("ack")).toEqual({ type: "ack", ids: [question.id] });
    const socket = await connectAgent(relay, ana.token);
    opened.push(socket);
    socket.send({ type: "chat:send", chatId, id: answerId, text: "No, Monday to Saturday" });
    expect(await nextWhere(socket, "ack")).toEqual({ type: "ack", ids: [answerId] });

    socket.send({ type: "chat:open", chatId });
    const history = await socket.next("chat:history");
    expect((history.messages as ChatMessage[]).map((m) => m.text)).toEqual([
      "Do you deliver on Sundays?",
      "Ana joined the chat",
      "No, Monday to Saturday",
    ]);
    expect(socket.frames.find((f) => f.type === "chats" && f.full)).toMatchObject({
      chats: expect.arrayContaining([
        expect.objectContaining({ id: chatId, status: "active", assigneeId: ana.id }),
      ]),
    });
  });
});
