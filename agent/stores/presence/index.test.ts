import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COLLEAGUE, ME, signInAsMe } from "../chats/testing.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { $session } from "../session/index.ts";
import {
  $colleagues,
  $myStatus,
  applyAgentsFrame,
  resetPresence,
  restoreMyStatus,
  setMyStatus,
} from "./index.ts";

beforeEach(signInAsMe);
afterEach(() => {
  resetPresence();
  disconnect();
  $session.set(null);
});

describe("presence", () => {
  it("lists colleagues without me, online first", () => {
    applyAgentsFrame({
      type: "agents",
      agents: [
        { id: "agent-zed-0001", name: "Zed", status: "offline" },
        { id: ME, name: "Me", status: "online" },
        { id: "agent-amy-0001", name: "Amy", status: "away" },
        { id: COLLEAGUE, name: "Ben", status: "online" },
      ],
    });
    expect($colleagues.get().map((agent) => agent.name)).toEqual(["Ben", "Amy", "Zed"]);
  });

  it("takes my status from the relay and keeps me away across reconnects", () => {
    const socket = connectFakeSocket();
    applyAgentsFrame({ type: "agents", agents: [{ id: ME, name: "Me", status: "away" }] });
    expect($myStatus.get()).toBe("away");
    setMyStatus("online");
    restoreMyStatus();
    setMyStatus("away");
    restoreMyStatus();
    expect(socket.frames()).toEqual([
      { type: "agent:status", status: "online" },
      { type: "agent:status", status: "away" },
      { type: "agent:status", status: "away" },
    ]);
  });
});
