import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { $session } from "../session/index.ts";
import {
  $chatLists,
  $chats,
  $requestCount,
  $visibleChats,
  applyChatsFrame,
  markChatSeen,
  resetChats,
  showChatTab,
  tabOf,
  transferChat,
} from "./index.ts";
import { COLLEAGUE, chatSummary as chat, ME, signInAsMe } from "./testing.ts";

beforeEach(signInAsMe);
afterEach(() => {
  resetChats();
  disconnect();
  $session.set(null);
});

const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id);

describe("chats", () => {
  it("replaces the list on a full frame and merges a delta", () => {
    applyChatsFrame({ type: "chats", full: true, chats: [chat("chat-a"), chat("chat-b")] });
    applyChatsFrame({
      type: "chats",
      full: false,
      chats: [chat("chat-b", { status: "active", assigneeId: ME }), chat("chat-c")],
    });
    expect([...$chats.get().keys()].sort()).toEqual(["chat-a", "chat-b", "chat-c"]);
    expect($chats.get().get("chat-b")?.status).toBe("active");

    applyChatsFrame({ type: "chats", full: true, chats: [chat("chat-c")] });
    expect([...$chats.get().keys()]).toEqual(["chat-c"]);
  });

  it("files chats under Requests, Active (mine) and Resolved, latest activity first", () => {
    applyChatsFrame({
      type: "chats",
      full: true,
      chats: [
        chat("req-old", { updatedAt: 10 }),
        chat("req-new", { updatedAt: 30 }),
        chat("mine", { status: "active", assigneeId: ME, updatedAt: 5 }),
        chat("joined", { status: "active", assigneeId: COLLEAGUE, participants: [COLLEAGUE, ME] }),
        chat("theirs", { status: "active", assigneeId: COLLEAGUE, participants: [COLLEAGUE] }),
        chat("offered", {
          status: "active",
          assigneeId: COLLEAGUE,
          updatedAt: 20,
          offer: { kind: "transfer", from: COLLEAGUE, to: ME, note: "VIP" },
        }),
        chat("done", { status: "resolved", updatedAt: 1 }),
        chat("missed", { status: "missed", updatedAt: 2 }),
      ],
    });
    const lists = $chatLists.get();
    expect(ids(lists.requests)).toEqual(["req-new", "offered", "req-old"]);
    expect(ids(lists.active).sort()).toEqual(["joined", "mine"]);
    expect(ids(lists.resolved)).toEqual(["missed", "done"]);
    expect($requestCount.get()).toBe(3);

    showChatTab("resolved");
    expect(ids($visibleChats.get())).toEqual(["missed", "done"]);
  });

  it("moves a request out of Requests when a colleague takes it", () => {
    applyChatsFrame({ type: "chats", full: true, chats: [chat("chat-a")] });
    expect($requestCount.get()).toBe(1);
    applyChatsFrame({
      type: "chats",
      full: false,
      chats: [chat("chat-a", { status: "active", assigneeId: COLLEAGUE })],
    });
    expect($requestCount.get()).toBe(0);
    expect(tabOf(chat("chat-a", { status: "active", assigneeId: COLLEAGUE }), ME)).toBeNull();
  });

  it("re-sorts when a chat gets newer activity", () => {
    applyChatsFrame({
      type: "chats",
      full: true,
      chats: [chat("chat-a", { updatedAt: 2 }), chat("chat-b", { updatedAt: 1 })],
    });
    applyChatsFrame({ type: "chats", full: false, chats: [chat("chat-b", { updatedAt: 3 })] });
    expect(ids($chatLists.get().requests)).toEqual(["chat-b", "chat-a"]);
  });

  it("shows a chat as read at once", () => {
    applyChatsFrame({ type: "chats", full: true, chats: [chat("chat-a", { unread: 3 })] });
    markChatSeen("chat-a");
    expect($chats.get().get("chat-a")?.unread).toBe(0);
  });

  it("sends a transfer's note only when there is one", () => {
    const socket = connectFakeSocket();
    transferChat("chat-a", COLLEAGUE, "  ");
    transferChat("chat-a", COLLEAGUE, " Wants a refund ");
    expect(socket.frames()).toEqual([
      { type: "chat:transfer", chatId: "chat-a", agentId: COLLEAGUE },
      { type: "chat:transfer", chatId: "chat-a", agentId: COLLEAGUE, note: "Wants a refund" },
    ]);
  });
});
