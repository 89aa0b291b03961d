import { atom } from "nanostores";
import type { HoursFrame } from "../../../protocol/chat.ts";

/**
 * Whether the site is within its business hours, as the relay says (open until it has):
 * outside them visitors get the offline form, so the header says so.
 */
export const $withinHours = atom(true);

export function applyHoursFrame(frame: HoursFrame): void {
  $withinHours.set(frame.open);
}

/** Forgets the last session's site. */
export function resetHours(): void {
  $withinHours.set(true);
}
