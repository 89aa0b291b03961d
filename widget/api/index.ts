/**
 * The public API of the snippet: `window.parley(command, ...args)`. Every command and event is
 * here, and documented in the README; changing one changes a contract with every site.
 */
import type { ChatFile } from "../../protocol/chat.ts";
import { INVITATION_TEXT_LENGTH } from "../../protocol/limits.ts";
import { guard, warnOnce } from "../../sdk/guard/index.ts";
import { randomId } from "../../sdk/random/index.ts";
import { createEmitter } from "../emitter/index.ts";
import { $unread, chatEvents, type Line, sendMessage } from "../stores/chat/index.ts";
import { identify, setCustomData } from "../stores/identity/index.ts";
import { showInvitation } from "../stores/invitation/index.ts";
import { setLocale } from "../stores/locale/index.ts";
import { $session } from "../stores/session/index.ts";
import { $online } from "../stores/settings/index.ts";
import {
  $open,
  closeChat,
  openChat,
  setHiddenByHost,
  toggleChat,
  turnOff,
} from "../stores/ui/index.ts";

/** A `window.parley(command, ...args)` call as the loader queues it. */
export type Command = [name: string, args: unknown[]];

/** A chat message as event listeners get it. */
export type PublicMessage = {
  id: string;
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
  file?: ChatFile;
  /** Who wrote it, for received messages. */
  agent?: { id: string; name: string };
};

/** The events of `parley("on", name, listener)` and the arguments their listeners get. */
export type ParleyEvents = {
  /** The widget has loaded; a listener added later is called at once. */
  ready: [];
  /** The chat window opened. */
  open: [];
  /** The chat window closed. */
  close: [];
  /** The visitor sent a message (from the window or `sendMessage`). */
  "message:sent": [message: PublicMessage];
  /** An agent's message arrived. */
  "message:received": [message: PublicMessage];
  /** The number of agents' messages the visitor has not seen changed. */
  unread: [count: number];
  /** Whether an agent takes chats (online, within business hours) changed; once when known. */
  availability: [online: boolean];
};

/** Every event's name. */
export const EVENT_NAMES: readonly (keyof ParleyEvents)[] = [
  "ready",
  "open",
  "close",
  "message:sent",
  "message:received",
  "unread",
  "availability",
];
const EVENTS = new Set<string>(EVENT_NAMES);

/** The host page's listeners. */
export const events = createEmitter<ParleyEvents>();
let isReady = false;

const eventName = (name: unknown, listener: unknown): keyof ParleyEvents | undefined => {
  if (typeof name === "string" && EVENTS.has(name) && typeof listener === "function")
    return name as keyof ParleyEvents;
  warnOnce(`on/off take an event (${[...EVENTS].join(", ")}) and a function`);
};

/**
 * The commands of `window.parley(command, ...args)`. Arguments come from the host page as they
 * are, so each command checks its own.
 */
export const commands: Record<string, (...args: unknown[]) => void> = {
  /** Opens the chat window (not while hidden by `hide`). @example parley("open") */
  open: openChat,
  /** Closes the chat window. @example parley("close") */
  close: closeChat,
  /** Opens the chat window if closed, else closes it. @example parley("toggle") */
  toggle: toggleChat,
  /** Shows the launcher again after `hide` (the window stays closed). @example parley("show") */
  show: () => setHiddenByHost(false),
  /**
   * Hides the launcher and the window until `show`; meanwhile `open` and `toggle` do nothing.
   * @example parley("hide")
   */
  hide: () => setHiddenByHost(true),
  /**
   * Tells the agents who the visitor is; any of name, email, phone, userId with userHash
   * (HMAC-SHA256 of userId under the site secret, made on the host's server).
   * @example parley("identify", { name: "Ann", email: "ann@example.com" })
   */
  identify,
  /**
   * Attaches data for the agents, merged with earlier data: string (256 characters at most),
   * number, boolean or null values, at most 50 keys.
   * @example parley("setCustomData", { plan: "pro", cartValue: 129.5 })
   */
  setCustomData,
  /** Sends a message as the visitor. @example parley("sendMessage", "I need help with my order") */
  sendMessage: (text) =>
    typeof text !== "string"
      ? warnOnce("sendMessage takes a string")
      : text.trim()
        ? void sendMessage(text)
        : warnOnce("sendMessage: the text is blank; nothing was sent"),
  /**
   * Shows the visitor an invitation to chat from the site's team, as a card by the launcher
   * (up to 500 characters; the visitor's reply starts a chat from it). Counted in the console
   * under manual invitations.
   * @example parley("invite", "Need a hand choosing a size?")
   */
  invite: (text) => {
    const valid = typeof text === "string" && text.trim();
    if (valid && valid.length <= INVITATION_TEXT_LENGTH)
      showInvitation({ id: randomId(), text: valid, sender: null });
    else warnOnce(`invite takes a text of 1 to ${INVITATION_TEXT_LENGTH} characters`);
  },
  /** Switches the language: en, es, pt or ru. @example parley("setLocale", "es") */
  setLocale: (lang) => void setLocale(lang),
  /**
   * Calls `listener` on an event: ready, open, close, message:sent, message:received,
   * unread (count), availability (online).
   * @example parley("on", "unread", (count) => updateBadge(count))
   */
  on(name, listener) {
    const event = eventName(name, listener);
    if (!event) return;
    events.on(event, listener as never);
    if (event === "ready" && isReady) guard(listener as () => void)();
  },
  /** Stops calling a listener added with `on`. @example parley("off", "unread", updateBadge) */
  off(name, listener) {
    const event = eventName(name, listener);
    if (event) events.off(event, listener as never);
  },
  /**
   * Stops tracking in this browser for good (remembered), forgets the visitor's identity and
   * pending events, and removes the widget. @example parley("optOut")
   */
  optOut() {
    $session.get()?.optOut();
    turnOff();
  },
};

/** Runs one command; an unknown one is ignored with one warning. Never throws. */
export const runCommand = guard(([name, args]: Command) => {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  command ? command(...args) : warnOnce(`unknown command "${name}" ignored`);
});

/**
 * Runs the commands queued before the widget loaded, oldest first, then takes over the queue's
 * `push` so that later `window.parley(...)` calls run at once.
 */
export function takeOverQueue(queue: Command[]): void {
  for (const call of queue.splice(0)) runCommand(call);
  queue.push = (...calls) => {
    for (const call of calls) runCommand(call);
    return 0;
  };
}

const publicMessage = ({ id, text, at, file, author }: Line): PublicMessage => ({
  id,
  text,
  at,
  ...(file && { file }),
  ...(author.kind === "agent" && { agent: { id: author.agentId, name: author.name } }),
});

/** Starts telling the host page's listeners what happens in the widget. */
export function wireEvents(): void {
  $open.listen((open) => events.emit(open ? "open" : "close"));
  $unread.listen((count) => events.emit("unread", count));
  $online.listen((online) => online !== undefined && events.emit("availability", online));
  chatEvents.on("sent", (line) => events.emit("message:sent", publicMessage(line)));
  chatEvents.on("received", (line) => events.emit("message:received", publicMessage(line)));
}

/** The widget is on the page: `ready` now, and at once for `ready` listeners added later. */
export function announce(): void {
  isReady = true;
  events.emit("ready");
}
