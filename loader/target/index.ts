/**
 * Describing an element of a page so that it is found again on the visitor's copy of the page,
 * which may have shifted since the agent picked it: the picker describes, the widget finds.
 */

import { POINTER_TEXT_LENGTH } from "../../protocol/limits.ts";
import type { PointerTarget } from "../../protocol/pointer.ts";

/** Attributes that name an element on purpose, so they outlast layout changes. */
const NAMING_ATTRIBUTES = ["name", "aria-label", "href", "for", "alt", "title"];

/** Ids that look made by a framework (`:r1:`, `ember1234`, `x-9f3a1b7c`) are skipped. */
const looksStableId = (id: string) =>
  id.length > 0 && id.length <= 80 && !/\d{4,}|^\d|[:\s]/.test(id);

/** Attribute values with long numbers (session ids, timestamps) are skipped. */
const looksStableValue = (value: string) =>
  value.length > 0 && value.length <= 200 && !/\d{6,}/.test(value);

/** A CSS string of `value`: quotes and backslashes escaped, line breaks as `\a `. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "\\$&").replace(/\r?\n/g, "\\a ")}"`;

const isUnique = (root: ParentNode, selector: string): boolean => {
  try {
    return root.querySelectorAll(selector).length === 1;
  } catch {
    return false;
  }
};

/**
 * What an element says: its text, or where it has none its label, alt text or placeholder;
 * whitespace collapsed, cut to POINTER_TEXT_LENGTH characters.
 * @example elementText(button) // "Add to cart"
 */
export const elementText = (element: Element): string =>
  (
    element.textContent?.trim() ||
    ["aria-label", "alt", "placeholder", "title", "value"]
      .map((name) => element.getAttribute(name))
      .find(Boolean) ||
    ""
  )
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, POINTER_TEXT_LENGTH);

/** A selector that matches `element` alone in its document by what names it, or null. */
function anchorOf(element: Element): string | null {
  const document = element.ownerDocument;
  const tag = CSS.escape(element.localName);
  if (looksStableId(element.id)) {
    const byId = `#${CSS.escape(element.id)}`;
    if (isUnique(document, byId)) return byId;
  }
  const names = [...element.attributes]
    .filter((attribute) => attribute.name.startsWith("data-"))
    .map((attribute) => attribute.name)
    .concat(NAMING_ATTRIBUTES);
  for (const name of names) {
    const value = element.getAttribute(name);
    if (value === null || !looksStableValue(value)) continue;
    const byAttribute = `${tag}[${CSS.escape(name)}=${quoted(value)}]`;
    if (isUnique(document, byAttribute)) return byAttribute;
  }
  return null;
}

/** `tag`, or `tag:nth-of-type(n)` where the parent has other children of the same tag. */
function stepOf(element: Element): string {
  const tag = CSS.escape(element.localName);
  const siblings = element.parentElement
    ? [...element.parentElement.children].filter((child) => child.localName === element.localName)
    : [element];
  return siblings.length > 1 ? `${tag}:nth-of-type(${siblings.indexOf(element) + 1})` : tag;
}

/**
 * A CSS selector for `element`: the nearest ancestor-or-self named by an id or a stable
 * attribute (else `body`), then an `nth-of-type` path down to the element.
 * @example selectorOf(button) // '#product > div:nth-of-type(2) > button'
 */
export function selectorOf(element: Element): string {
  const steps: string[] = [];
  for (let node: Element | null = element; node; node = node.parentElement) {
    const anchor = anchorOf(node);
    if (anchor) {
      steps.unshift(anchor);
      break;
    }
    if (node.localName === "body" || !node.parentElement) {
      steps.unshift(node.localName);
      break;
    }
    steps.unshift(stepOf(node));
  }
  return steps.join(" > ");
}

/**
 * The element as a pointer's target: selector, tag, text and the page it is on.
 * @example describeElement(document.querySelector("button")) // {url, selector: "#buy", tag: "button", text: "Buy"}
 */
export const describeElement = (element: Element): PointerTarget => ({
  url: element.ownerDocument.location.href,
  selector: selectorOf(element),
  tag: element.localName,
  text: elementText(element),
});

/**
 * The target's element in `document`, or null when it is gone: what the selector finds if its
 * tag and text still match, or else the first element with that tag and text (a shown one
 * first). An element without text is trusted to the selector and tag alone.
 * @example const element = findElement(message.pointer); if (!element) say("It is gone");
 */
export function findElement(target: PointerTarget, document: Document): Element | null {
  const matches = (element: Element) =>
    element.localName === target.tag && elementText(element) === target.text;
  let found: Element | null = null;
  try {
    found = document.querySelector(target.selector);
  } catch {
    // A selector this browser cannot read: search by the fingerprint.
  }
  if (found && (matches(found) || (!target.text && found.localName === target.tag))) return found;
  if (!target.text) return null;
  const candidates = [...document.getElementsByTagName(target.tag)].filter(matches);
  return candidates.find((element) => element.getClientRects().length > 0) ?? candidates[0] ?? null;
}

/**
 * Whether `url` is the page at `here`: the same address but for the fragment.
 * @example samePage("https://shop.example/cart#top", "https://shop.example/cart") // true
 */
export function samePage(url: string, here: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(here);
    return a.origin === b.origin && a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}
