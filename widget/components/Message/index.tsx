import type { Strings } from "../../locales/en.ts";
import type { Line } from "../../stores/chat/index.ts";
import { Attachment } from "../Attachment/index.tsx";
import { Avatar } from "../Avatar/index.tsx";
import { LinkedText } from "../LinkedText/index.tsx";
import { PointerActions } from "../PointerActions/index.tsx";

type MessageProps = {
  line: Line;
  /** The agents have read up to this seq: the visitor's messages up to it get a read mark. */
  agentReadSeq: number;
  /** The author's name and avatar head a run of messages by the same author. */
  showAuthor: boolean;
  t: Strings;
  /** The time of day a message was sent, as the visitor's locale writes it. */
  time: (at: number) => string;
};

/** Where a visitor's message stands: sending, delivered, read, or refused. */
const receipt = (line: Line, agentReadSeq: number) =>
  line.state !== "delivered"
    ? line.state === "pending"
      ? "sending"
      : "notSent"
    : line.seq !== null && line.seq <= agentReadSeq
      ? "read"
      : "delivered";

const MARKS = { sending: "🕓", delivered: "✓", read: "✓✓", notSent: "!" } as const;

/** One message of the conversation; system messages ("Anna joined") are a centred line. */
export function Message({ line, agentReadSeq, showAuthor, t, time }: MessageProps) {
  const { author } = line;
  if (author.kind === "system")
    return (
      <p class="system" data-testid="message-system">
        {line.text}
      </p>
    );
  const state = author.kind === "visitor" ? receipt(line, agentReadSeq) : undefined;
  return (
    <div class={`message ${author.kind}`} data-testid="message" data-state={state}>
      {showAuthor && author.kind === "agent" && (
        <span class="author">
          <Avatar name={author.name} />
          {author.name}
        </span>
      )}
      {author.kind === "visitor" && <span class="sr">{t.you}:</span>}
      <div class="bubble">
        {line.file && <Attachment file={line.file} />}
        {line.text && (
          <p class="text" data-testid="message-text">
            <LinkedText text={line.text} />
          </p>
        )}
        {line.pointer && (
          <PointerActions messageId={line.id} target={line.pointer} comment={line.text} t={t} />
        )}
      </div>
      <span class="meta">
        <time dateTime={new Date(line.at).toISOString()}>{time(line.at)}</time>
        {state && (
          <span class={`receipt ${state}`} data-testid="receipt" data-receipt={state}>
            <span aria-hidden="true">{MARKS[state]}</span>
            <span class="sr">{t[state]}</span>
          </span>
        )}
      </span>
    </div>
  );
}
