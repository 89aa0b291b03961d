import { atom } from "nanostores";
import { PartySocket } from "partysocket";
import type { AgentClientFrame, AgentServerFrame } from "../../../protocol/agent.ts";

/**
 * The agent socket's state: `offline` while signed out, `connecting` on the first attempt,
 * `connected` while open, `reconnecting` after it dropped (partysocket retries with backoff).
 */
export type ConnectionStatus = "offline" | "connecting" | "connected" | "reconnecting";

/** The agent socket's state, for the indicator and for anything that must wait for it. */
export const $connection = atom<ConnectionStatus>("offline");

/** The part of a WebSocket the console uses; partysocket's reconnecting socket in the app. */
export type AgentSocket = Pick<WebSocket, "send" | "close" | "addEventListener">;

/** Which relay, site and token the socket connects with. */
export type SocketAddress = {
  /** The relay's host and port, e.g. `location.host`. */
  host: string;
  /** Whether the page came over https, so the socket must use wss. */
  secure: boolean;
  siteId: string;
  /** The session's token, read at every (re)connect: it changes with the agent's password. */
  token: () => string;
};

/** Where to connect and what to do with each frame. */
export type ConnectOptions = SocketAddress & {
  onFrame: (frame: AgentServerFrame) => void;
  /** Opens the socket; tests pass a fake. */
  openSocket?: (address: SocketAddress) => AgentSocket;
};

const openPartySocket = ({ host, secure, siteId, token }: SocketAddress): AgentSocket =>
  new PartySocket({
    host,
    // partysocket guesses ws only for localhost and private ranges; the page knows better.
    protocol: secure ? "wss" : "ws",
    party: "site",
    room: siteId,
    query: () => ({ token: token() }),
    maxReconnectionDelay: 5000,
  });

let socket: AgentSocket | null = null;

/**
 * Opens the agent socket to `/parties/site/:siteId?token=...`, replacing any open one, and
 * hands every well-formed frame to `onFrame`.
 *
 * @example connect({ host: location.host, secure: false, siteId, token, onFrame: route });
 */
export function connect({
  openSocket = openPartySocket,
  onFrame,
  ...address
}: ConnectOptions): void {
  disconnect();
  const opened = openSocket(address);
  socket = opened;
  $connection.set("connecting");
  opened.addEventListener("open", () => {
    if (socket === opened) $connection.set("connected");
  });
  opened.addEventListener("close", () => {
    if (socket === opened) $connection.set("reconnecting");
  });
  opened.addEventListener("message", (event: MessageEvent) => {
    if (socket !== opened || typeof event.data !== "string") return;
    let frame: AgentServerFrame;
    try {
      frame = JSON.parse(event.data) as AgentServerFrame;
    } catch {
      return;
    }
    if (frame && typeof frame.type === "string") onFrame(frame);
  });
}

/** Closes the agent socket for good (until the next {@link connect}). */
export function disconnect(): void {
  const closing = socket;
  socket = null;
  closing?.close();
  $connection.set("offline");
}

/**
 * Sends a frame to the relay. Frames sent while reconnecting wait in partysocket's queue.
 * Returns false when there is no socket (signed out).
 */
export function sendFrame(frame: AgentClientFrame): boolean {
  if (!socket) return false;
  socket.send(JSON.stringify(frame));
  return true;
}
