import { atom, map } from "nanostores";
import type { PointerTarget } from "../../../protocol/pointer.ts";

/**
 * An agent's pointer being shown: the element, the agent's comment beside it, and the control
 * that showed it, which gets the focus back when it is dismissed.
 */
export type Spotlight = { element: Element; comment: string; opener?: HTMLElement };

/** Why a pointer could not be shown: it is about another page, or its element is gone. */
export type PointerProblem = { kind: "otherPage"; url: string } | { kind: "gone" };

/** The pointer on screen, or null. */
export const $spotlight = atom<Spotlight | null>(null);

/** What went wrong when the visitor pressed Show, by message id (cleared by the next Show). */
export const $pointerProblems = map<Record<string, PointerProblem | undefined>>({});

/**
 * Shows an agent's pointer on this page: finds the element (by its selector, checked against
 * its fingerprint, or else by the fingerprint), scrolls to it and puts it in the spotlight; or
 * says why it cannot (another page, or the element is gone). The finding is a chunk of its own,
 * loaded on the first Show.
 * @example showPointer(line.id, line.pointer, line.text, showButton)
 */
export async function showPointer(
  messageId: string,
  target: PointerTarget,
  comment: string,
  opener?: HTMLElement,
  page: Document = document,
): Promise<void> {
  $pointerProblems.setKey(messageId, undefined);
  const { findElement, samePage } = await import("../../../loader/target/index.ts");
  if (!samePage(target.url, page.location.href)) {
    $pointerProblems.setKey(messageId, { kind: "otherPage", url: target.url });
    return;
  }
  const element = findElement(target, page);
  if (!element) {
    $pointerProblems.setKey(messageId, { kind: "gone" });
    return;
  }
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  element.scrollIntoView({
    block: "center",
    inline: "nearest",
    behavior: still ? "auto" : "smooth",
  });
  $spotlight.set(opener ? { element, comment, opener } : { element, comment });
}

/** Takes the pointer off the screen, and gives the focus back to what showed it. */
export function dismissSpotlight(): void {
  const shown = $spotlight.get();
  $spotlight.set(null);
  // Once the widget has rendered its window again (it steps aside while a pointer shows).
  setTimeout(() => shown?.opener?.focus({ preventScroll: true }));
}
