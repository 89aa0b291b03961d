/** A box on screen, in CSS pixels from the viewport's top left. */
export type Box = { top: number; left: number; width: number; height: number };

/** The comment's width (widget.css `.spotlight-note`) and its gap from the element. */
export const NOTE_WIDTH = 260;
const GAP = 12;
const MARGIN = 8;

/**
 * Where the comment goes beside `element` (a box in the viewport `width` × `height`): to its
 * right where it fits, else to its left, else below it (above it near the bottom), always
 * inside the viewport.
 * @example placeNote({ top: 100, left: 20, width: 200, height: 40 }, 1200, 800) // { top: 100, left: 232 }
 */
export function placeNote(
  element: Box,
  width: number,
  height: number,
): { top: number; left: number } {
  const clampTop = (top: number) => Math.max(MARGIN, Math.min(top, height - 120));
  const right = element.left + element.width + GAP;
  if (right + NOTE_WIDTH + MARGIN <= width) return { top: clampTop(element.top), left: right };
  const left = element.left - GAP - NOTE_WIDTH;
  if (left >= MARGIN) return { top: clampTop(element.top), left };
  const below = element.top + element.height + GAP;
  return {
    top: below + 120 <= height ? below : clampTop(element.top - GAP - 120),
    left: Math.max(MARGIN, Math.min(element.left, width - NOTE_WIDTH - MARGIN)),
  };
}
