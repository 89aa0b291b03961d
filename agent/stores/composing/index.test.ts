import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { noteComposing, stopComposing, TYPING_IDLE_MS, TYPING_REPEAT_MS } from "./index.ts";

const CHAT = "chat-0001";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  stopComposing(CHAT);
  vi.useRealTimers();
  disconnect();
});

const typingFrames = (socket: ReturnType<typeof connectFakeSocket>) =>
  socket.frames().flatMap((frame) => (frame.type === "chat:typing" ? [frame.typing] : []));

describe("composing", () => {
  it("throttles typing: true while keys keep coming", () => {
    const socket = connectFakeSocket();
    for (let i = 0; i < 10; i++) {
      noteComposing(CHAT);
      vi.advanceTimersByTime(200);
    }
    expect(typingFrames(socket)).toEqual([true]);
    vi.advanceTimersByTime(TYPING_REPEAT_MS);
    noteComposing(CHAT);
    expect(typingFrames(socket)).toEqual([true, true]);
  });

  it("says typing: false after a pause, and at once when sent", () => {
    const socket = connectFakeSocket();
    noteComposing(CHAT);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(typingFrames(socket)).toEqual([true, false]);

    noteComposing(CHAT);
    stopComposing(CHAT);
    stopComposing(CHAT);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(typingFrames(socket)).toEqual([true, false, true, false]);
  });
});
