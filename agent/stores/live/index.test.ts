import { afterAll, describe, expect, it } from "vitest";
import type { AgentServerFrame } from "../../../protocol/agent.ts";
import { $chats } from "../chats/index.ts";
import { chatSummary, ME, signInAsMe } from "../chats/testing.ts";
import { fakeSocket } from "../connection/fake-socket.ts";
import type { SocketAddress } from "../connection/index.ts";
import { $openConversation, openChat } from "../conversation/index.ts";
import { $outbox, sendMessage } from "../outbox/index.ts";
import { $session, renewToken } from "../session/index.ts";
import { startLive } from "./index.ts";

const sockets: ReturnType<typeof fakeSocket>[] = [];
const addresses: SocketAddress[] = [];
startLive({
  host: "relay.test",
  secure: false,
  openSocket: (address) => {
    addresses.push(address);
    const socket = fakeSocket();
    sockets.push(socket);
    return socket.socket;
  },
});
afterAll(() => $session.set(null));

const CHAT = "chat-0001";
const deliver = (frame: AgentServerFrame) => sockets.at(-1)?.emit("message", JSON.stringify(frame));

describe("live chat over a dropping socket", () => {
  it("re-sends unacknowledged messages after a reconnect and forgets them once stored", () => {
    signInAsMe();
    const socket = sockets.at(-1);
    if (!socket) throw new Error("no socket opened on sign-in");
    socket.emit("open");
    deliver({
      type: "chats",
      full: true,
      chats: [chatSummary(CHAT, { status: "active", assigneeId: ME })],
    });
    openChat(CHAT);
    const first = sendMessage(CHAT, { text: "first" });
    socket.emit("close");
    const second = sendMessage(CHAT, { text: "second" });
    const sends = () =>
      socket.frames().flatMap((frame) => (frame.type === "chat:send" ? [frame.id] : []));
    expect(sends()).toEqual([first]);

    socket.sent.length = 0;
    socket.emit("open");
    expect(sends()).toEqual([first, second]);
    // The open conversation is asked for again, to fill what the drop missed.
    expect(socket.frames()).toContainEqual({ type: "chat:open", chatId: CHAT });

    deliver({ type: "ack", ids: [first, second] });
    expect($outbox.get().map((message) => message.state)).toEqual(["sent", "sent"]);
    socket.sent.length = 0;
    socket.emit("close");
    socket.emit("open");
    expect(sends()).toEqual([]);

    deliver({
      type: "chat:message",
      chatId: CHAT,
      message: {
        id: first,
        chatId: CHAT,
        seq: 1,
        at: 1,
        author: { kind: "agent", agentId: ME, name: "Me" },
        text: "first",
      },
    });
    expect($outbox.get().map((message) => message.id)).toEqual([second]);
    expect($openConversation.get()?.messages.map((message) => message.id)).toEqual([first]);
  });

  it("wipes the chats of the last session on sign-out", () => {
    $session.set(null);
    expect($outbox.get()).toEqual([]);
    expect($openConversation.get()).toBeNull();
  });
});

describe("a token the relay renews (the agent changed their password)", () => {
  it("keeps the socket and what the console holds, and the next reconnect carries it", () => {
    signInAsMe();
    const socket = sockets.at(-1);
    socket?.emit("open");
    deliver({ type: "chats", full: true, chats: [chatSummary(CHAT, { status: "active" })] });
    const opened = sockets.length;
    renewToken("renewed-token");
    expect(sockets).toHaveLength(opened);
    expect(socket?.isClosed()).toBe(false);
    expect(addresses.at(-1)?.token()).toBe("renewed-token");
    expect([...$chats.get().keys()]).toEqual([CHAT]);
  });
});
