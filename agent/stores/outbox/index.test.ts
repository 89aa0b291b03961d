import { afterEach, describe, expect, it } from "vitest";
import { createKeyValueStore } from "../../storage/index.ts";
import { memoryStorage } from "../../storage/memory.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import {
  $outbox,
  forgetDelivered,
  loadOutbox,
  receiveAck,
  resendPending,
  resetOutbox,
  sendMessage,
} from "./index.ts";

const CHAT = "chat-0001";
const file = {
  id: "file-0001",
  name: "a.png",
  size: 3,
  type: "image/png",
  url: "http://relay.test/uploads/file-0001",
  image: true,
};

const memoryStore = () => {
  const storage = memoryStorage();
  return createKeyValueStore(() => storage);
};

afterEach(() => {
  resetOutbox();
  disconnect();
});

const states = () => $outbox.get().map((message) => [message.text, message.state]);

describe("outbox", () => {
  it("sends a message, file or note with a client-made id and keeps it pending", () => {
    const socket = connectFakeSocket();
    const id = sendMessage(CHAT, { text: "Hi" });
    sendMessage(CHAT, { text: "", file, note: true });
    expect(socket.frames()).toEqual([
      { type: "chat:send", chatId: CHAT, id, text: "Hi" },
      {
        type: "chat:send",
        chatId: CHAT,
        id: $outbox.get()[1]?.id,
        text: "",
        fileId: "file-0001",
        note: true,
      },
    ]);
    expect(states()).toEqual([
      ["Hi", "pending"],
      ["", "pending"],
    ]);
  });

  it("marks acknowledged messages sent and refused ones failed, and resends only the rest", () => {
    const socket = connectFakeSocket();
    const first = sendMessage(CHAT, { text: "one" });
    const second = sendMessage(CHAT, { text: "two" });
    sendMessage(CHAT, { text: "three" });
    receiveAck({
      type: "ack",
      ids: [first],
      rejected: [{ id: second, code: "not_allowed", message: "Not your chat" }],
    });
    expect(states()).toEqual([
      ["one", "sent"],
      ["two", "failed"],
      ["three", "pending"],
    ]);
    expect($outbox.get()[1]?.error).toBe("Not your chat");

    socket.sent.length = 0;
    resendPending();
    expect(socket.frames().map((frame) => "text" in frame && frame.text)).toEqual(["three"]);
  });

  it("drops a message once its stored copy is in the conversation", () => {
    connectFakeSocket();
    const id = sendMessage(CHAT, { text: "Hi" });
    forgetDelivered([id]);
    expect($outbox.get()).toEqual([]);
  });

  it("keeps unacknowledged messages across a reload, per agent", () => {
    const storage = memoryStore();
    loadOutbox("agent-a", storage);
    connectFakeSocket();
    const acked = sendMessage(CHAT, { text: "stored" });
    sendMessage(CHAT, { text: "unsent" });
    receiveAck({ type: "ack", ids: [acked] });

    resetOutbox();
    loadOutbox("agent-a", storage);
    expect(states()).toEqual([["unsent", "pending"]]);
    loadOutbox("agent-b", storage);
    expect($outbox.get()).toEqual([]);
  });
});
