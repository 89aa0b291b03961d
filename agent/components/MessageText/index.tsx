import { splitLinks } from "../../../protocol/links.ts";

/**
 * Message text as text, keeping its line breaks; only http(s) URLs become links (opening in
 * a new tab, without the console as referrer or opener).
 */
export function MessageText({ text }: { text: string }) {
  return (
    <p class="message-text" data-testid="message-text">
      {splitLinks(text).map((segment, index) =>
        segment.href ? (
          <a
            key={index}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="message-link"
          >
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </p>
  );
}
