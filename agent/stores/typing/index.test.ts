import { afterEach, describe, expect, it } from "vitest";
import { $typing, receiveTyping, resetTyping, stopTypingOf } from "./index.ts";

const CHAT = "chat-0001";
const anna = { id: "agent-anna-01", name: "Anna" };
const me = "agent-me-0001";

afterEach(resetTyping);

describe("typing", () => {
  it("shows the visitor's live preview until it is cleared or sent", () => {
    receiveTyping({ type: "chat:typing", chatId: CHAT, visitor: { text: "Where is my or" } }, me);
    expect($typing.get().get(CHAT)?.visitor).toBe("Where is my or");
    stopTypingOf(CHAT, { kind: "visitor" });
    expect($typing.get().has(CHAT)).toBe(false);

    receiveTyping({ type: "chat:typing", chatId: CHAT, visitor: { text: "Hi" } }, me);
    receiveTyping({ type: "chat:typing", chatId: CHAT, visitor: { text: "" } }, me);
    expect($typing.get().has(CHAT)).toBe(false);
  });

  it("lists colleagues typing, once each, but never me", () => {
    receiveTyping({ type: "chat:typing", chatId: CHAT, agent: anna, typing: true }, me);
    receiveTyping({ type: "chat:typing", chatId: CHAT, agent: anna, typing: true }, me);
    receiveTyping(
      { type: "chat:typing", chatId: CHAT, agent: { id: me, name: "Me" }, typing: true },
      me,
    );
    expect($typing.get().get(CHAT)?.agents).toEqual([anna]);
    stopTypingOf(CHAT, { kind: "agent", agentId: anna.id, name: "Anna" });
    expect($typing.get().has(CHAT)).toBe(false);
  });
});
