import { atom, computed } from "nanostores";
import type {
  ChatAgent,
  ChatAuthor,
  ChatFile,
  ChatMessage,
  ChatStatus,
} from "../../../protocol/chat.ts";
import { MESSAGE_LENGTH, TYPING_PREVIEW_LENGTH } from "../../../protocol/limits.ts";
import type { PointerTarget } from "../../../protocol/pointer.ts";
import type { TrackingEvent, VisitorServerFrame } from "../../../protocol/visitor.ts";
import { warnOnce } from "../../../sdk/guard/index.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { createEmitter } from "../../emitter/index.ts";
import { prefs, record, send } from "../session/index.ts";

/**
 * A line of the conversation as the widget shows it: a stored message, or one of the visitor's
 * that waits in the outbox (`pending`) or that the relay refused (`failed`).
 */
export type Line = {
  id: string;
  /** The message's place in the conversation once stored; null while pending. */
  seq: number | null;
  at: number;
  author: ChatAuthor;
  text: string;
  file?: ChatFile;
  /** An agent's pointer at an element of the page (`text` is the agent's comment). */
  pointer?: PointerTarget;
  state: "pending" | "delivered" | "failed";
};

/** The conversation, oldest first: stored messages by `seq`, then the pending ones. */
export const $lines = atom<Line[]>([]);
/** Where the chat is in the agents' queue; null before the visitor's first message. */
export const $status = atom<ChatStatus | null>(null);
/** Agents in the conversation, the assignee first. */
export const $agents = atom<ChatAgent[]>([]);
/** The agent typing right now, if any. */
export const $agentTyping = atom<ChatAgent | null>(null);
/** The agents have read the visitor's messages up to this `seq`. */
export const $agentReadSeq = atom(0);
/** The visitor has seen agents' messages up to this `seq` (in any tab). */
export const $readSeq = atom(0);
/** What the visitor is typing, kept while the window is closed. */
export const $draft = atom("");
/** The invitation the visitor's next message answers, if one is showing: the chat starts from it. */
export const $replyTo = atom<string | null>(null);

/** Agents' messages the visitor has not seen yet. */
export const $unread = computed([$lines, $readSeq], (lines, read) =>
  lines.reduce(
    (count, line) => count + +(line.author.kind === "agent" && (line.seq ?? 0) > read),
    0,
  ),
);

/** Happenings of the conversation: `sent` by this tab's visitor, `received` from an agent. */
export const chatEvents = createEmitter<{ sent: [line: Line]; received: [line: Line] }>();

/** How often the visitor's typing preview goes to the agents, at most. */
export const TYPING_PREVIEW_MS = 250;
/** An agent's typing indicator goes away if no news comes for this long. */
export const AGENT_TYPING_MS = 15_000;

const order = (a: Line, b: Line) =>
  (a.seq ?? Number.POSITIVE_INFINITY) - (b.seq ?? Number.POSITIVE_INFINITY) || a.at - b.at;

const lineOf = (message: ChatMessage): Line => ({
  id: message.id,
  seq: message.seq,
  at: message.at,
  author: message.author,
  text: message.text,
  file: message.file,
  pointer: message.pointer,
  state: "delivered",
});

/** `lines` with `line` added or replacing the line of the same id, in conversation order. */
const upsert = (lines: Line[], line: Line) =>
  [...lines.filter((other) => other.id !== line.id), line].sort(order);

let visitorId: string | undefined;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let previewTimer: ReturnType<typeof setTimeout> | undefined;
let lastPreviewAt = Number.NEGATIVE_INFINITY;
let lastPreview = "";

/** What the visitor has read, as kept in the preferences: per visitor, for a new identity. */
type ReadMark = { visitorId: string; seq: number };

/**
 * The files of the visitor's messages still in the outbox, by message id. The outbox event
 * names a file by id only, so a later page load would have nothing to show it with.
 */
const PENDING_FILES = "pending-files";
const pendingFiles = () => prefs().get<Record<string, ChatFile>>(PENDING_FILES) ?? {};

/** Forgets the files of messages the relay has settled (stored or refused). */
const forgetPendingFiles = (ids: string[]) => {
  const files = pendingFiles();
  const settled = ids.filter((id) => id in files);
  if (!settled.length) return;
  for (const id of settled) delete files[id];
  prefs().set(PENDING_FILES, files);
};

const agentTyping = (agent: ChatAgent | null) => {
  clearTimeout(typingTimer);
  $agentTyping.set(agent);
  if (agent) typingTimer = setTimeout(() => $agentTyping.set(null), AGENT_TYPING_MS);
};

/** Forgets the conversation (a new visitor identity, opt-out). */
export function resetChat(): void {
  $lines.set([]);
  $status.set(null);
  $agents.set([]);
  agentTyping(null);
  $agentReadSeq.set(0);
  $readSeq.set(0);
}

/** Applies a frame from the relay to the conversation. */
export function receiveChat(frame: VisitorServerFrame): void {
  switch (frame.type) {
    case "welcome":
      if (frame.visitorId !== visitorId) {
        if (visitorId) resetChat();
        visitorId = frame.visitorId;
        const mark = prefs().get<ReadMark>("read");
        $readSeq.set(mark?.visitorId === visitorId ? mark.seq : 0);
      }
      break;
    case "chat:state": {
      $status.set(frame.status);
      $agents.set(frame.agents);
      $agentReadSeq.set(Math.max($agentReadSeq.get(), frame.agentReadSeq));
      if (frame.messages) {
        const stored = frame.messages.filter((message) => !message.note).map(lineOf);
        const ids = new Set(stored.map((line) => line.id));
        const unsent = $lines.get().filter((line) => line.seq === null && !ids.has(line.id));
        $lines.set([...stored, ...unsent].sort(order));
      }
      break;
    }
    case "chat:message": {
      const { message } = frame;
      if (message.note) break;
      const known = $lines.get().some((line) => line.id === message.id);
      const line = lineOf(message);
      $lines.set(upsert($lines.get(), line));
      if (message.author.kind === "agent") {
        if ($agentTyping.get()?.id === message.author.agentId) agentTyping(null);
        if (!known) chatEvents.emit("received", line);
      }
      break;
    }
    case "chat:typing":
      agentTyping(frame.typing ? frame.agent : null);
      break;
    case "chat:read":
      $agentReadSeq.set(Math.max($agentReadSeq.get(), frame.seq));
      break;
    case "ack": {
      const acked = new Set(frame.ids);
      const refused = new Set(frame.rejected?.map((event) => event.id));
      if (!acked.size && !refused.size) break;
      forgetPendingFiles([...acked, ...refused]);
      $lines.set(
        $lines
          .get()
          .map((line) =>
            line.state !== "pending"
              ? line
              : refused.has(line.id)
                ? { ...line, state: "failed" }
                : acked.has(line.id)
                  ? { ...line, state: "delivered" }
                  : line,
          ),
      );
      break;
    }
  }
}

/**
 * Shows the messages an earlier page load left in the outbox (typed while offline) as pending,
 * files included: they go out on the next connection and are then shown once, as stored.
 */
export function restorePending(events: TrackingEvent[]): void {
  const files = pendingFiles();
  let lines = $lines.get();
  for (const event of events)
    if (event.kind === "message")
      lines = upsert(lines, {
        id: event.id,
        seq: null,
        at: event.at,
        author: { kind: "visitor" },
        text: event.text,
        file: event.fileId ? files[event.id] : undefined,
        state: "pending",
      });
  $lines.set(lines);
}

const sendPreview = (text: string) => {
  clearTimeout(previewTimer);
  previewTimer = undefined;
  if (text === lastPreview) return;
  lastPreview = text;
  lastPreviewAt = Date.now();
  send({ type: "chat:typing", text });
};

/**
 * Keeps what the visitor is typing and shows it to the agents as a live preview, at most every
 * {@link TYPING_PREVIEW_MS} (the latest text always goes out).
 */
export function setDraft(text: string): void {
  $draft.set(text);
  const preview = text.slice(0, TYPING_PREVIEW_LENGTH);
  if (previewTimer) return;
  const wait = lastPreviewAt + TYPING_PREVIEW_MS - Date.now();
  if (wait <= 0) sendPreview(preview);
  else
    previewTimer = setTimeout(
      () => sendPreview($draft.get().slice(0, TYPING_PREVIEW_LENGTH)),
      wait,
    );
}

/**
 * Sends a message from the visitor: text, a file uploaded before, or both. It goes through the
 * durable outbox (so it survives being offline and reloads) and shows at once as pending.
 * Answers the new line, or undefined when there was nothing to send or it is too long.
 *
 * @example sendMessage("Do you ship to Spain?")
 */
export function sendMessage(text: string, file?: ChatFile): Line | undefined {
  const body = text.trim();
  if (!body && !file) return;
  if (body.length > MESSAGE_LENGTH) {
    warnOnce(`a message is at most ${MESSAGE_LENGTH} characters`);
    return;
  }
  const line: Line = {
    id: randomId(),
    seq: null,
    at: Date.now(),
    author: { kind: "visitor" },
    text: body,
    file,
    state: "pending",
  };
  const event: TrackingEvent = { kind: "message", id: line.id, at: line.at, text: body };
  if (file) event.fileId = file.id;
  const invitationId = $replyTo.get();
  if (invitationId) event.invitationId = invitationId;
  if (!record(event)) return;
  if (file) prefs().set(PENDING_FILES, { ...pendingFiles(), [line.id]: file });
  $lines.set(upsert($lines.get(), line));
  $replyTo.set(null);
  sendPreview("");
  chatEvents.emit("sent", line);
  return line;
}

/** The visitor has seen the whole conversation: clears the unread count and tells the agents. */
export function markRead(): void {
  const seq = $lines.get().reduce((last, line) => Math.max(last, line.seq ?? 0), 0);
  if (seq <= $readSeq.get()) return;
  $readSeq.set(seq);
  if (visitorId) prefs().set("read", { visitorId, seq } satisfies ReadMark);
  send({ type: "chat:read", seq });
}

/**
 * Follows what the visitor reads in the site's other tabs (their `markRead`), so that every
 * tab's unread count agrees; answers a function that stops.
 */
export function followReadsInOtherTabs(): () => void {
  return prefs().watch<ReadMark>("read", (mark) => {
    if (mark && mark.visitorId === visitorId && mark.seq > $readSeq.get()) $readSeq.set(mark.seq);
  });
}
