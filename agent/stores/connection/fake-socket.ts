import type { AgentClientFrame } from "../../../protocol/agent.ts";
import { type AgentSocket, connect } from "./index.ts";

/** A socket a test opens, closes and feeds by hand (tests only). */
export function fakeSocket() {
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
    /** What the console sent, parsed. */
    frames: () => sent.map((data) => JSON.parse(data) as AgentClientFrame),
    isClosed: () => closed,
    emit: (type: string, data?: string) =>
      target.dispatchEvent(data === undefined ? new Event(type) : new MessageEvent(type, { data })),
  };
}

/** Connects the console through a fake socket and opens it (tests only). */
export function connectFakeSocket(): ReturnType<typeof fakeSocket> {
  const fake = fakeSocket();
  connect({
    host: "relay.test",
    secure: false,
    siteId: "site-0001",
    token: () => "t",
    onFrame: () => {},
    openSocket: () => fake.socket,
  });
  fake.emit("open");
  return fake;
}
