import type { Page } from "@playwright/test";
import WebSocket from "ws";
import type { AgentProfile, VisitorServerFrame } from "../protocol/index.ts";
import { DEMO } from "../relay/demo-site.ts";
import { loginDemoAgent, updateSite } from "./agent-client.ts";

/**
 * Helpers for the console's chat specs: a visitor speaking the wire protocol over `ws`, and
 * more agents on the demo site.
 */

/** A visitor on the demo site with a socket, recording every frame the relay sends it. */
export type ChatVisitor = {
  id: string;
  /** Every frame received, oldest first. */
  frames: VisitorServerFrame[];
  /** Every raw text the socket received: to prove something never reached the visitor. */
  raw: string[];
  /** Sends a chat message (a durable `track` event) and resolves once the relay acked it. */
  say(text: string, extra?: { fileId?: string }): Promise<void>;
  /** Sends an `identify` event (the pre-chat form, `parley('identify', …)`). */
  identify(contact: {
    name?: string;
    email?: string;
    phone?: string;
    userId?: string;
    userHash?: string;
  }): Promise<void>;
  /** Sends a `custom-data` event (`parley('setCustomData', …)`). */
  setCustomData(data: Record<string, string | number | boolean | null>): Promise<void>;
  /** The live typing preview agents see. */
  typing(text: string): void;
  /** The visitor has seen every message up to `seq`. */
  read(seq: number): void;
  /** Resolves with the first received frame `match` accepts, waiting for more. */
  waitFor<T extends VisitorServerFrame>(
    match: (frame: VisitorServerFrame) => frame is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(
    match: (frame: VisitorServerFrame) => boolean,
    timeoutMs?: number,
  ): Promise<VisitorServerFrame>;
  close(): void;
};

let counter = 0;
const eventId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/**
 * Connects a visitor (with a visit on `page` of the demo shop) to the relay.
 *
 * @example const visitor = await connectVisitor(relay.url, "visitor-anna-0001");
 */
export async function connectVisitor(
  relayUrl: string,
  id: string,
  page = "/demo/products/",
): Promise<ChatVisitor> {
  const ws = new WebSocket(
    `${relayUrl.replace("http", "ws")}/parties/visitor/${id}?site=${DEMO.siteId}&secret=${id}-secret-0123456789`,
    { origin: relayUrl },
  );
  const frames: VisitorServerFrame[] = [];
  const raw: string[] = [];
  const listeners = new Set<() => void>();
  ws.on("message", (data) => {
    raw.push(data.toString());
    frames.push(JSON.parse(data.toString()) as VisitorServerFrame);
    for (const listener of listeners) listener();
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });

  function waitFor(
    match: (frame: VisitorServerFrame) => boolean,
    timeoutMs = 15_000,
  ): Promise<VisitorServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (!found) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no matching frame among ${JSON.stringify(frames)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  }

  async function track(events: object[]): Promise<void> {
    const ids = events.map((event) => (event as { id: string }).id);
    ws.send(JSON.stringify({ type: "track", events }));
    await waitFor(
      (frame) => frame.type === "ack" && ids.every((eventId) => frame.ids.includes(eventId)),
    );
  }

  const at = Date.now();
  const visitId = eventId("visit");
  const url = `${relayUrl}${page}`;
  await track([
    { kind: "visit", id: eventId("v"), at, visitId, number: 1, landingUrl: url },
    { kind: "pageview", id: eventId("p"), at, visitId, url, title: "Products" },
  ]);

  return {
    id,
    frames,
    raw,
    say: (text, extra = {}) =>
      track([{ kind: "message", id: eventId("m"), at: Date.now(), text, ...extra }]),
    identify: (contact) =>
      track([{ kind: "identify", id: eventId("i"), at: Date.now(), ...contact }]),
    setCustomData: (data) =>
      track([{ kind: "custom-data", id: eventId("c"), at: Date.now(), data }]),
    typing: (text) => ws.send(JSON.stringify({ type: "chat:typing", text })),
    read: (seq) => ws.send(JSON.stringify({ type: "chat:read", seq })),
    waitFor: waitFor as ChatVisitor["waitFor"],
    close: () => ws.close(),
  };
}

/** A chat message the visitor received, by its text. */
export const visitorGot = (text: string) => (frame: VisitorServerFrame) =>
  frame.type === "chat:message" && frame.message.text === text;

/** An agent account other than the demo admin. */
export type AgentAccount = { profile: AgentProfile; email: string; password: string };

/** Adds an agent to the demo site as its admin would (`POST /api/agents`). */
export async function addAgent(relayUrl: string, name: string): Promise<AgentAccount> {
  const { token } = await loginDemoAgent(relayUrl);
  const email = `${name.toLowerCase()}@parley.test`;
  const password = `${name.toLowerCase()}-password`;
  const response = await fetch(`${relayUrl}/api/agents`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email, name, password, role: "agent" }),
  });
  if (response.status !== 201) throw new Error(`could not add ${name}: ${await response.text()}`);
  return { profile: (await response.json()) as AgentProfile, email, password };
}

/** Makes `page` fail its test if anything opens a dialog (`alert` from injected script). */
export function failOnDialog(page: Page): { dialogs: string[] } {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { dialogs };
}

/** A 1×1 PNG, for sending an image. */
export const PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Sets the demo site's routing (`PUT /api/site`). */
export async function setRouting(relayUrl: string, routing: "manual" | "auto"): Promise<void> {
  await updateSite(relayUrl, { routing });
}
