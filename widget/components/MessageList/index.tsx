import { useStore } from "@nanostores/preact";
import { useMemo, useRef } from "preact/hooks";
import type { ChatAuthor } from "../../../protocol/chat.ts";
import { useAutoScroll } from "../../hooks/useAutoScroll.ts";
import { $agentReadSeq, $lines, type Line } from "../../stores/chat/index.ts";
import { $invitation } from "../../stores/invitation/index.ts";
import { $locale, $strings } from "../../stores/locale/index.ts";
import { $settings } from "../../stores/settings/index.ts";
import { Message } from "../Message/index.tsx";
import { TypingIndicator } from "../TypingIndicator/index.tsx";

const sameAuthor = (a: ChatAuthor | undefined, b: ChatAuthor) =>
  a?.kind === b.kind && (a.kind !== "agent" || (b.kind === "agent" && a.agentId === b.agentId));

/**
 * The conversation, oldest first, under the site's greeting and the invitation showing, if
 * any (written by its sender: the visitor's reply starts the chat from it). A log region: screen readers
 * read out new messages politely. Focusable, so that it can be scrolled with the keyboard.
 */
export function MessageList() {
  const invitation = useStore($invitation);
  const t = useStore($strings);
  const stored = useStore($lines);
  const lines = useMemo(() => {
    if (!invitation) return stored;
    const line: Line = {
      id: invitation.id,
      seq: null,
      at: invitation.at,
      author: { kind: "agent", agentId: "", name: invitation.sender ?? t.team },
      text: invitation.text,
      state: "delivered",
    };
    return [...stored, line];
  }, [stored, invitation, t]);
  const agentReadSeq = useStore($agentReadSeq);
  const settings = useStore($settings);
  const locale = useStore($locale);
  // Made at the first message, not with the window: a page's first Intl.DateTimeFormat loads
  // the time-zone data, some 30 ms of the host page's main thread in Chromium.
  const time = useMemo(() => {
    let format: Intl.DateTimeFormat | undefined;
    return (at: number) => {
      format ??= new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" });
      return format.format(at);
    };
  }, [locale]);
  const list = useRef<HTMLElement>(null);
  useAutoScroll(list, lines);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled (WCAG 2.1.1)
    <section class="scroll" ref={list} tabIndex={0} aria-label={t.messages}>
      <p class="greeting">{settings.greeting || t.greeting}</p>
      <div class="log" role="log" aria-live="polite" data-testid="messages">
        {lines.map((line, index) => (
          <Message
            key={line.id}
            line={line}
            agentReadSeq={agentReadSeq}
            showAuthor={!sameAuthor(lines[index - 1]?.author, line.author)}
            t={t}
            time={time}
          />
        ))}
      </div>
      <TypingIndicator />
    </section>
  );
}
