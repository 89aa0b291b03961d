import { describe, expect, it, vi } from "vitest";
import { SESSION_TTL_MS } from "../auth/index.ts";
import { relayOnFakeClock, type TestSocket } from "./testing.ts";

let agent: TestSocket;
relayOnFakeClock("hello", (_, signedIn) => {
  agent = signedIn;
});

describe("an agent's socket", () => {
  it("closes when its session expires, saying so, though the agent sends nothing", async () => {
    await vi.advanceTimersByTimeAsync(SESSION_TTL_MS - 60_000);
    expect(agent.ws.readyState).toBe(agent.ws.OPEN);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await agent.next("error")).toMatchObject({
      code: "unauthorized",
      message: "The session has expired: sign in again",
    });
    expect((await agent.closed).code).toBe(1008);
  });
});
