import { splitLinks } from "../../../protocol/links.ts";

/**
 * Message text, rendered as text (markup stays visible as typed); http(s) addresses become
 * links that open in a new tab without giving the page a handle on ours.
 */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, index) =>
        part.href ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
