import { afterEach, describe, expect, it } from "vitest";
import type { AgentServerFrame } from "../../../protocol/agent.ts";
import { $connection, type AgentSocket, connect, disconnect, sendFrame } from "./index.ts";

/** A socket the test opens, closes and feeds by hand. */
function fakeSocket() {
  const target = new EventTarget();
  const sent: string[] = [];
  let closed = false;
  const socket: AgentSocket = {
    addEventListener: target.addEventListener.bind(target),
    send: (data) => void sent.push(String(data)),
    close: () => {
      closed = true;
    },
  };
  return {
    socket,
    sent,
    isClosed: () => closed,
    emit: (type: string, data?: string) =>
      target.dispatchEvent(data === undefined ? new Event(type) : new MessageEvent(type, { data })),
  };
}

const address = { host: "relay.test", secure: false, siteId: "site-0001", token: "t" };

afterEach(() => disconnect());

describe("connection", () => {
  it("reports connecting, connected, reconnecting and offline", () => {
    const fake = fakeSocket();
    connect({ ...address, onFrame: () => {}, openSocket: () => fake.socket });
    expect($connection.get()).toBe("connecting");
    fake.emit("open");
    expect($connection.get()).toBe("connected");
    fake.emit("close");
    expect($connection.get()).toBe("reconnecting");
    fake.emit("open");
    expect($connection.get()).toBe("connected");
    disconnect();
    expect($connection.get()).toBe("offline");
    expect(fake.isClosed()).toBe(true);
  });

  it("hands on frames and skips what is not JSON", () => {
    const fake = fakeSocket();
    const frames: AgentServerFrame[] = [];
    connect({ ...address, onFrame: (frame) => frames.push(frame), openSocket: () => fake.socket });
    fake.emit("message", "not json");
    fake.emit("message", "null");
    fake.emit("message", JSON.stringify({ type: "roster", full: true, visitors: [] }));
    expect(frames).toEqual([{ type: "roster", full: true, visitors: [] }]);
  });

  it("ignores a replaced socket and sends on the current one", () => {
    const first = fakeSocket();
    const second = fakeSocket();
    connect({ ...address, onFrame: () => {}, openSocket: () => first.socket });
    connect({ ...address, onFrame: () => {}, openSocket: () => second.socket });
    expect(first.isClosed()).toBe(true);
    first.emit("open");
    expect($connection.get()).toBe("connecting");
    expect(sendFrame({ type: "trail:get", visitorId: "visitor-1" })).toBe(true);
    expect(second.sent).toEqual(['{"type":"trail:get","visitorId":"visitor-1"}']);
    expect(first.sent).toEqual([]);
  });

  it("sends nothing while signed out", () => {
    expect(sendFrame({ type: "trail:get", visitorId: "visitor-1" })).toBe(false);
  });
});
