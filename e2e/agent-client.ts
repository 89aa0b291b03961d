import WebSocket from "ws";
import type {
  ChatMessage,
  LoginResponse,
  OfflineMessage,
  OfflineMessagesResponse,
  RosterEntry,
  SiteSettingsBody,
  Trail,
} from "../protocol/index.ts";
import { DEMO } from "../relay/demo-site.ts";

/** An agent of the demo site speaking the wire protocol, to check what the relay stored. */
export type AgentClient = {
  roster: Map<string, RosterEntry>;
  /** Resolves with the first roster entry `match` accepts, waiting for updates. */
  waitForVisitor(match: (entry: RosterEntry) => boolean, timeoutMs?: number): Promise<RosterEntry>;
  trail(visitorId: string): Promise<Trail>;
  /** A visitor's conversation as agents see it, notes included (`chat:open` → `chat:history`). */
  history(chatId: string): Promise<ChatMessage[]>;
  /** Sends a message to a visitor's chat (its id is the visitor's); resolves once acked. */
  say(chatId: string, text: string): Promise<void>;
  /** Tells the visitor this agent is typing, or has stopped. */
  typing(chatId: string, typing: boolean): void;
  /** This agent has read the chat up to `seq`. */
  read(chatId: string, seq: number): void;
  close(): void;
};

let sent = 0;

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
  const histories = new Map<string, (messages: ChatMessage[]) => void>();
  const acks = new Map<string, () => void>();
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === "roster") for (const entry of frame.visitors) roster.set(entry.id, entry);
    if (frame.type === "trail") trails.get(frame.trail.visitorId)?.(frame.trail);
    if (frame.type === "chat:history") histories.get(frame.chatId)?.(frame.messages);
    if (frame.type === "ack") for (const id of frame.ids) acks.get(id)?.();
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
    history(chatId) {
      return new Promise((resolve) => {
        histories.set(chatId, resolve);
        ws.send(JSON.stringify({ type: "chat:open", chatId }));
      });
    },
    say(chatId, text) {
      const id = `agent-message-${Date.now().toString(36)}-${sent++}`;
      return new Promise((resolve) => {
        acks.set(id, resolve);
        ws.send(JSON.stringify({ type: "chat:send", chatId, id, text }));
      });
    },
    typing(chatId, typing) {
      ws.send(JSON.stringify({ type: "chat:typing", chatId, typing }));
    },
    read(chatId, seq) {
      ws.send(JSON.stringify({ type: "chat:read", chatId, seq }));
    },
    close: () => ws.close(),
  };
}

/** Changes the demo site's settings as its admin would (`PUT /api/site`). */
export async function updateSite(relayUrl: string, body: SiteSettingsBody): Promise<void> {
  const { token } = await loginDemoAgent(relayUrl);
  const response = await fetch(`${relayUrl}/api/site`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`could not change the site: ${await response.text()}`);
}

/** The demo site's offline-form messages, newest first, as an agent reads them. */
export async function offlineMessages(relayUrl: string): Promise<OfflineMessage[]> {
  const { token } = await loginDemoAgent(relayUrl);
  const response = await fetch(`${relayUrl}/api/offline-messages`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as OfflineMessagesResponse).messages;
}
