import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatFile, ChatMessage } from "../../../protocol/chat.ts";
import { MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import { startTestSession } from "../../testing/index.ts";
import {
  $agentReadSeq,
  $agentTyping,
  $draft,
  $lines,
  $status,
  $unread,
  AGENT_TYPING_MS,
  chatEvents,
  followReadsInOtherTabs,
  markRead,
  restorePending,
  sendMessage,
  setDraft,
  TYPING_PREVIEW_MS,
} from "./index.ts";

const anna = { kind: "agent", agentId: "agent-anna", name: "Anna" } as const;
const stored = (seq: number, text: string, author: ChatMessage["author"] = anna): ChatMessage => ({
  id: `message-${seq}`.padEnd(10, "0"),
  chatId: "chat-00001",
  seq,
  at: 1_700_000_000_000 + seq,
  author,
  text,
});

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("chat store: sending", () => {
  it("records a message through the outbox and shows it pending until acked", () => {
    const { recorded, receive } = startTestSession();
    const line = sendMessage("  Do you ship to Spain?  ");
    expect(recorded).toEqual([
      { kind: "message", id: line?.id, at: Date.now(), text: "Do you ship to Spain?" },
    ]);
    expect($lines.get()).toMatchObject([{ text: "Do you ship to Spain?", state: "pending" }]);

    receive({ type: "ack", ids: [line?.id ?? ""] });
    expect($lines.get()).toMatchObject([{ state: "delivered", seq: null }]);
  });

  it("shows a message once when the relay's copy arrives, in the conversation's order", () => {
    const { receive } = startTestSession();
    receive({ type: "chat:message", message: stored(1, "Hi, I'm Anna") });
    const line = sendMessage("Hello");
    receive({
      type: "chat:message",
      message: { ...stored(2, "Hello", { kind: "visitor" }), id: line?.id ?? "" },
    });
    receive({ type: "ack", ids: [line?.id ?? ""] });
    expect($lines.get().map((each) => [each.seq, each.text, each.state])).toEqual([
      [1, "Hi, I'm Anna", "delivered"],
      [2, "Hello", "delivered"],
    ]);
  });

  it("marks a message the relay refused as not sent", () => {
    const { receive } = startTestSession();
    const line = sendMessage("x");
    receive({
      type: "ack",
      ids: [],
      rejected: [{ id: line?.id ?? "", code: "invalid_event", message: "no" }],
    });
    expect($lines.get()[0]?.state).toBe("failed");
  });

  it("sends nothing empty, and nothing over the length limit", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { recorded } = startTestSession();
    expect(sendMessage("   \n ")).toBeUndefined();
    expect(sendMessage("x".repeat(MESSAGE_LENGTH + 1))).toBeUndefined();
    expect(sendMessage("x".repeat(MESSAGE_LENGTH))).toBeDefined();
    expect(recorded).toHaveLength(1);
  });

  it("sends a file as a message naming the upload", () => {
    const { recorded } = startTestSession();
    const file = {
      id: "upload-0001",
      name: "a.png",
      size: 10,
      type: "image/png",
      url: "https://relay.test/files/upload-0001",
      image: true,
    };
    sendMessage("", file);
    expect(recorded[0]).toMatchObject({ kind: "message", text: "", fileId: "upload-0001" });
    expect($lines.get()[0]?.file).toEqual(file);
  });

  it("tells listeners what the visitor sent and which agent messages are new", () => {
    const { receive } = startTestSession();
    const sent = vi.fn();
    const received = vi.fn();
    const stops = [chatEvents.on("sent", sent), chatEvents.on("received", received)];
    sendMessage("Hi");
    receive({ type: "chat:message", message: stored(1, "Hello!") });
    receive({ type: "chat:message", message: stored(1, "Hello!") });
    receive({ type: "chat:state", status: "active", agents: [], agentReadSeq: 0, messages: [] });
    for (const stop of stops) stop();
    expect(sent).toHaveBeenCalledTimes(1);
    expect(received).toHaveBeenCalledTimes(1);
    expect(received.mock.calls[0]?.[0]).toMatchObject({ text: "Hello!" });
  });
});

describe("chat store: offline and reloads", () => {
  it("shows a file sent from an earlier page still in the outbox with its file, until settled", () => {
    const file: ChatFile = {
      id: "upload-0001",
      name: "receipt.pdf",
      size: 2048,
      type: "application/pdf",
      url: "https://relay.test/api/uploads/upload-0001",
      image: false,
    };
    const first = startTestSession();
    const line = sendMessage("", file);
    // The page is left before the relay has it; the next load finds it in the outbox.
    const reload = { visitorId: first.visitorId, prefs: first.session.prefs };
    const next = startTestSession(reload);
    restorePending(first.recorded);
    expect($lines.get()).toMatchObject([{ id: line?.id, text: "", file, state: "pending" }]);

    // Stored by the relay: the file is not kept for later pages any more.
    next.receive({ type: "ack", ids: [line?.id ?? ""] });
    startTestSession(reload);
    restorePending(first.recorded);
    expect($lines.get()[0]?.file).toBeUndefined();
  });

  it("shows messages an earlier page left in the outbox, once, also after the history arrives", () => {
    const { receive } = startTestSession();
    const waiting = {
      kind: "message",
      id: "queued-0001",
      at: Date.now(),
      text: "Still there?",
    } as const;
    restorePending([
      waiting,
      { kind: "custom-data", id: "custom-001", at: Date.now(), data: { plan: "pro" } },
    ] as const);
    expect($lines.get()).toMatchObject([{ id: "queued-0001", state: "pending" }]);

    // The history after connecting: an earlier message stored, the queued one not yet.
    receive({
      type: "chat:state",
      status: "requested",
      agents: [],
      agentReadSeq: 0,
      messages: [stored(1, "Earlier", { kind: "visitor" })],
    });
    expect($lines.get().map((line) => line.text)).toEqual(["Earlier", "Still there?"]);

    // Sent on reconnect, stored, echoed to every tab: still one line.
    receive({
      type: "chat:message",
      message: { ...stored(2, "Still there?", { kind: "visitor" }), id: "queued-0001" },
    });
    receive({ type: "ack", ids: ["queued-0001"] });
    expect($lines.get().map((line) => [line.text, line.seq, line.state])).toEqual([
      ["Earlier", 1, "delivered"],
      ["Still there?", 2, "delivered"],
    ]);
  });

  it("takes the relay's history over what it showed before a reconnect", () => {
    const { receive } = startTestSession();
    receive({ type: "chat:message", message: stored(1, "One") });
    receive({
      type: "chat:state",
      status: "active",
      agents: [{ id: "agent-anna", name: "Anna" }],
      agentReadSeq: 0,
      messages: [stored(1, "One"), stored(2, "Two"), { ...stored(3, "private"), note: true }],
    });
    expect($lines.get().map((line) => line.text)).toEqual(["One", "Two"]);
    expect($status.get()).toBe("active");
  });

  it("starts over when the relay knows the visitor by a new identity", () => {
    const { receive } = startTestSession();
    receive({ type: "chat:message", message: stored(1, "For the old identity") });
    startTestSession();
    expect($lines.get()).toEqual([]);
    expect($unread.get()).toBe(0);
  });
});

describe("chat store: unread and read marks", () => {
  it("counts agents' messages the visitor has not seen, and clears them when read", () => {
    const { receive, sent } = startTestSession();
    receive({ type: "chat:message", message: stored(1, "Hi") });
    receive({ type: "chat:message", message: stored(2, "Still here?") });
    receive({ type: "chat:message", message: stored(3, "Me", { kind: "visitor" }) });
    expect($unread.get()).toBe(2);
    markRead();
    expect($unread.get()).toBe(0);
    expect(sent).toContainEqual({ type: "chat:read", seq: 3 });
    markRead();
    expect(sent.filter((frame) => frame.type === "chat:read")).toHaveLength(1);
  });

  it("remembers what was read across page loads of the same visitor", () => {
    const first = startTestSession();
    first.receive({ type: "chat:message", message: stored(1, "Hi") });
    markRead();
    startTestSession();
    // A later page of the same site and visitor.
    const again = startTestSession({ visitorId: first.visitorId, prefs: first.session.prefs });
    again.receive({
      type: "chat:state",
      status: "active",
      agents: [],
      agentReadSeq: 0,
      messages: [stored(1, "Hi"), stored(2, "Anything else?")],
    });
    expect($unread.get()).toBe(1);
  });

  it("follows reads made in another tab", () => {
    const listeners: ((event: { key: string; newValue: string }) => void)[] = [];
    vi.stubGlobal("addEventListener", (_type: string, listener: (typeof listeners)[0]) =>
      listeners.push(listener),
    );
    vi.stubGlobal("removeEventListener", () => {});
    const { receive, session, visitorId } = startTestSession();
    const stop = followReadsInOtherTabs();
    receive({ type: "chat:message", message: stored(1, "Hi") });
    receive({ type: "chat:message", message: stored(2, "There") });
    const key = `parley:${session.site}:widget:read`;
    for (const listener of listeners)
      listener({ key, newValue: JSON.stringify({ visitorId, seq: 1 }) });
    expect($unread.get()).toBe(1);
    for (const listener of listeners)
      listener({ key, newValue: JSON.stringify({ visitorId: "someone-else", seq: 2 }) });
    expect($unread.get()).toBe(1);
    stop();
    vi.unstubAllGlobals();
  });

  it("keeps the agents' read mark moving forward only", () => {
    const { receive } = startTestSession();
    receive({ type: "chat:read", seq: 4 });
    receive({ type: "chat:state", status: "active", agents: [], agentReadSeq: 2 });
    expect($agentReadSeq.get()).toBe(4);
  });
});

describe("chat store: typing", () => {
  it("shows an agent typing until they stop, send, or go quiet", () => {
    const { receive } = startTestSession();
    const agent = { id: "agent-anna", name: "Anna" };
    receive({ type: "chat:typing", agent, typing: true });
    expect($agentTyping.get()).toEqual(agent);
    receive({ type: "chat:typing", agent, typing: false });
    expect($agentTyping.get()).toBeNull();

    receive({ type: "chat:typing", agent, typing: true });
    receive({ type: "chat:message", message: stored(1, "Done") });
    expect($agentTyping.get()).toBeNull();

    receive({ type: "chat:typing", agent, typing: true });
    vi.advanceTimersByTime(AGENT_TYPING_MS);
    expect($agentTyping.get()).toBeNull();
  });

  it("previews the visitor's typing at most every 250 ms, always ending with the latest text", () => {
    const { sent } = startTestSession();
    const previews = () =>
      sent.flatMap((frame) => (frame.type === "chat:typing" ? [frame.text] : []));
    vi.advanceTimersByTime(TYPING_PREVIEW_MS);
    setDraft("H");
    setDraft("He");
    setDraft("Hel");
    expect(previews()).toEqual(["H"]);
    vi.advanceTimersByTime(TYPING_PREVIEW_MS);
    expect(previews()).toEqual(["H", "Hel"]);
    expect($draft.get()).toBe("Hel");

    setDraft("Hello");
    sendMessage("Hello");
    expect(previews()).toEqual(["H", "Hel", ""]);
    vi.advanceTimersByTime(TYPING_PREVIEW_MS * 2);
    expect(previews()).toEqual(["H", "Hel", ""]);
  });
});
