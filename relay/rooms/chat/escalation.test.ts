import { describe, expect, it, vi } from "vitest";
import type { ChatSummary } from "../../../protocol/index.ts";
import {
  chatEvents,
  connectAgent,
  connectVisitor,
  login,
  newVisitor,
  nextChat,
  nextWhere,
  relayOnFakeClock,
  type TestRelay,
  type TestSocket,
} from "../testing.ts";
import { REQUEST_ROUND_MS } from "./queue.ts";

// Rounds last a minute: the clock is faked (it still runs, and tests jump it ahead), everything
// else is real, as in presence.test.ts.
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock("chats", (started, signedIn) => {
  relay = started;
  agent = signedIn;
});

async function waitFor(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/** A visitor who has just asked for a chat. */
async function request() {
  const visitor = newVisitor();
  const tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
  const message = chatEvents.message("Anyone there?");
  tab.send({ type: "track", events: [message] });
  await tab.next("ack");
  await nextChat(agent, visitor.id, (chat) => chat.status === "requested");
  return { tab, chatId: visitor.id };
}

describe("a request nobody answers", () => {
  it("is offered again every minute, then missed", async () => {
    const { tab, chatId } = await request();
    await waitFor(REQUEST_ROUND_MS - 1000);
    expect(agent.frames.some((f) => f.type === "notify" && f.sound === true)).toBe(false);
    await waitFor(2000);
    expect(await nextChat(agent, chatId, (chat) => chat.round === 2)).toMatchObject({
      status: "requested",
    });
    expect(await nextWhere(agent, "notify", (f) => f.sound === true)).toMatchObject({
      kind: "request",
      chatId,
    });
    await waitFor(REQUEST_ROUND_MS);
    await nextChat(agent, chatId, (chat) => chat.round === 3);
    await waitFor(REQUEST_ROUND_MS);
    expect(await nextChat(agent, chatId, (chat) => chat.status === "missed")).toBeTruthy();
    expect(await nextWhere(tab, "chat:state", (f) => f.status === "missed")).toBeTruthy();
    await tab.close();
  });

  it("stays with the agent who accepted it in time", async () => {
    const { tab, chatId } = await request();
    await waitFor(REQUEST_ROUND_MS / 2);
    agent.send({ type: "chat:accept", chatId });
    await nextChat(agent, chatId, (chat) => chat.status === "active");
    await waitFor(REQUEST_ROUND_MS * 2);
    agent.send({ type: "chat:open", chatId });
    await agent.next("chat:history");
    expect(agent.frames.filter((f) => f.type === "notify" && f.chatId === chatId)).toHaveLength(1);
    const statuses = agent.frames
      .filter((f) => f.type === "chats")
      .flatMap((f) => f.chats as ChatSummary[])
      .filter((chat) => chat.id === chatId)
      .map((chat) => `${chat.status} ${chat.round}`);
    expect(statuses.at(-1)).toBe("active 1");
    expect(statuses).not.toContain("requested 2");
    await tab.close();
  });

  it("keeps its deadline across a restart", async () => {
    const { tab, chatId } = await request();
    await tab.close();
    await agent.close();
    await relay.restart();
    agent = await connectAgent(relay, (await login(relay)).token);
    await agent.next("chats");
    await waitFor(REQUEST_ROUND_MS + 1000);
    expect(await nextChat(agent, chatId, (chat) => chat.round === 2)).toMatchObject({
      status: "requested",
    });
  });
});
