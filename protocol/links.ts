/** A piece of message text: plain, or a link when `href` is set. */
export type TextPart = { text: string; href?: string };

const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the address ("see https://x.test/a.").
const TRAILING = /[.,;:!?)\]}'"]+$/;

/**
 * Splits message text into plain parts and web links, the one rule every client follows
 * (Parley's security model): only http(s) addresses become links; everything else, markup and
 * `javascript:` included, stays text for the caller to render as text.
 *
 * @example
 * splitLinks("see https://shop.test/a.")
 * // [{ text: "see " }, { text: "https://shop.test/a", href: "https://shop.test/a" }, { text: "." }]
 */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  const plain = (to: number) => {
    if (to > from) parts.push({ text: text.slice(from, to) });
  };
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const address = match[0].replace(TRAILING, "");
    let href: string;
    try {
      href = new URL(address).href;
    } catch {
      continue;
    }
    plain(match.index);
    parts.push({ text: address, href });
    from = match.index + address.length;
  }
  plain(text.length);
  return parts;
}

/** True for an absolute http(s) URL: the only kind the widget and the console link to. */
export const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);
