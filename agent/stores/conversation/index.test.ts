import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../protocol/chat.ts";
import { $chats, applyChatsFrame, resetChats } from "../chats/index.ts";
import { COLLEAGUE, chatSummary, ME, signInAsMe } from "../chats/testing.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { $session } from "../session/index.ts";
import {
  $openConversation,
  markRead,
  mergeMessages,
  openChat,
  receiveHistory,
  receiveMessage,
  receiveVisitorRead,
  resetConversations,
  timelineOf,
} from "./index.ts";

const CHAT = "chat-0001";

function message(seq: number, text = `message ${seq}`): ChatMessage {
  return { id: `msg-${seq}-0000`, chatId: CHAT, seq, at: seq, author: { kind: "visitor" }, text };
}

beforeEach(signInAsMe);
afterEach(() => {
  resetConversations();
  resetChats();
  disconnect();
  $session.set(null);
});

describe("conversation", () => {
  it("asks for the history on open and merges live messages in seq order", () => {
    const socket = connectFakeSocket();
    openChat(CHAT);
    expect(socket.frames()).toEqual([{ type: "chat:open", chatId: CHAT }]);
    expect($openConversation.get()?.loading).toBe(true);

    // A live message overtakes the history it belongs after.
    receiveMessage({ type: "chat:message", chatId: CHAT, message: message(3) });
    receiveHistory({
      type: "chat:history",
      chatId: CHAT,
      messages: [message(1), message(2)],
      visitorReadSeq: 0,
    });
    receiveMessage({ type: "chat:message", chatId: CHAT, message: message(3) });
    const open = $openConversation.get();
    expect(open?.loading).toBe(false);
    expect(open?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("ignores live messages of chats never opened", () => {
    receiveMessage({ type: "chat:message", chatId: "chat-other", message: message(1) });
    expect($openConversation.get()).toBeNull();
  });

  it("keeps the furthest read mark", () => {
    connectFakeSocket();
    openChat(CHAT);
    receiveHistory({ type: "chat:history", chatId: CHAT, messages: [], visitorReadSeq: 4 });
    receiveVisitorRead({ type: "chat:read", chatId: CHAT, visitorReadSeq: 2 });
    expect($openConversation.get()?.visitorReadSeq).toBe(4);
    receiveVisitorRead({ type: "chat:read", chatId: CHAT, visitorReadSeq: 6 });
    expect($openConversation.get()?.visitorReadSeq).toBe(6);
  });

  it("tells the relay once per new message that I read my chat, and zeroes its unread", () => {
    const socket = connectFakeSocket();
    applyChatsFrame({
      type: "chats",
      full: true,
      chats: [chatSummary(CHAT, { status: "active", assigneeId: ME, unread: 2 })],
    });
    openChat(CHAT);
    receiveHistory({
      type: "chat:history",
      chatId: CHAT,
      messages: [message(1), message(2)],
      visitorReadSeq: 0,
    });
    markRead(CHAT);
    markRead(CHAT);
    receiveMessage({ type: "chat:message", chatId: CHAT, message: message(3) });
    markRead(CHAT);
    expect(socket.frames().filter((frame) => frame.type === "chat:read")).toEqual([
      { type: "chat:read", chatId: CHAT, seq: 2 },
      { type: "chat:read", chatId: CHAT, seq: 3 },
    ]);
    expect($chats.get().get(CHAT)?.unread).toBe(0);
  });

  it("does not mark a request or a colleague's chat as read", () => {
    const socket = connectFakeSocket();
    applyChatsFrame({
      type: "chats",
      full: true,
      chats: [
        chatSummary(CHAT),
        chatSummary("chat-ben", { status: "active", assigneeId: COLLEAGUE }),
      ],
    });
    for (const chatId of [CHAT, "chat-ben"]) {
      openChat(chatId);
      receiveHistory({ type: "chat:history", chatId, messages: [message(1)], visitorReadSeq: 0 });
      markRead(chatId);
    }
    expect(socket.frames().some((frame) => frame.type === "chat:read")).toBe(false);
  });
});

describe("mergeMessages", () => {
  it("keeps one copy per id, the newer one", () => {
    const merged = mergeMessages([message(1, "old")], [message(1, "new"), message(0)]);
    expect(merged.map((m) => [m.seq, m.text])).toEqual([
      [0, "message 0"],
      [1, "new"],
    ]);
  });
});

describe("timelineOf", () => {
  const mine = (seq: number, note = false): ChatMessage => ({
    ...message(seq),
    author: { kind: "agent", agentId: ME, name: "Me" },
    ...(note ? { note: true } : {}),
  });
  const outgoing = (id: string, state: "pending" | "sent" | "failed") => ({
    id,
    chatId: CHAT,
    text: id,
    at: 9,
    state,
    ...(state === "failed" ? { error: "Refused" } : {}),
  });

  it("marks my messages read up to the visitor's read mark, delivered after it", () => {
    const items = timelineOf(
      { messages: [message(1), mine(2), mine(3), mine(4, true)], visitorReadSeq: 2 },
      [],
      { id: ME, name: "Me" },
    );
    expect(items.map((item) => [item.mine, item.note, item.state])).toEqual([
      [false, false, null],
      [true, false, "read"],
      [true, false, "delivered"],
      [true, true, null],
    ]);
  });

  it("appends messages on their way, each once, with their state", () => {
    const items = timelineOf(
      { messages: [mine(1)], visitorReadSeq: 0 },
      [
        outgoing("msg-1-0000", "sent"),
        outgoing("waiting-01", "pending"),
        outgoing("acked-001", "sent"),
        outgoing("refused-01", "failed"),
      ],
      { id: ME, name: "Me" },
    );
    expect(items.map((item) => [item.id, item.state])).toEqual([
      ["msg-1-0000", "delivered"],
      ["waiting-01", "pending"],
      ["acked-001", "delivered"],
      ["refused-01", "failed"],
    ]);
    expect(items.at(-1)?.error).toBe("Refused");
  });
});
