import WebSocket from "ws";
import type { LoginResponse, RosterEntry, Trail } from "../protocol/index.ts";
import { DEMO } from "../relay/hosts/node/demo-site.ts";

/** An agent of the demo site speaking the wire protocol, to check what the relay stored. */
export type AgentClient = {
  roster: Map<string, RosterEntry>;
  /** Resolves with the first roster entry `match` accepts, waiting for updates. */
  waitForVisitor(match: (entry: RosterEntry) => boolean, timeoutMs?: number): Promise<RosterEntry>;
  trail(visitorId: string): Promise<Trail>;
  close(): void;
};

export async function loginDemoAgent(relayUrl: string): Promise<LoginResponse> {
  const response = await fetch(`${relayUrl}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as LoginResponse;
}

export async function connectAgent(relayUrl: string): Promise<AgentClient> {
  const { token } = await loginDemoAgent(relayUrl);
  const ws = new WebSocket(
    `${relayUrl.replace("http", "ws")}/parties/site/${DEMO.siteId}?token=${encodeURIComponent(token)}`,
  );
  const roster = new Map<string, RosterEntry>();
  const listeners = new Set<() => void>();
  const trails = new Map<string, (trail: Trail) => void>();
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === "roster") for (const entry of frame.visitors) roster.set(entry.id, entry);
    if (frame.type === "trail") trails.get(frame.trail.visitorId)?.(frame.trail);
    for (const listener of listeners) listener();
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });

  return {
    roster,
    waitForVisitor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const entry of roster.values()) {
            if (match(entry)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(entry);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching visitor in ${JSON.stringify([...roster.values()])}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    trail(visitorId) {
      return new Promise((resolve) => {
        trails.set(visitorId, resolve);
        ws.send(JSON.stringify({ type: "trail:get", visitorId }));
      });
    },
    close: () => ws.close(),
  };
}
