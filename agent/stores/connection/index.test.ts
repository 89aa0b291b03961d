import { afterEach, describe, expect, it } from "vitest";
import type { AgentServerFrame } from "../../../protocol/agent.ts";
import { fakeSocket } from "./fake-socket.ts";
import { $connection, connect, disconnect, sendFrame } from "./index.ts";

const address = { host: "relay.test", secure: false, siteId: "site-0001", token: () => "t" };

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
