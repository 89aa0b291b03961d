import { atom, computed } from "nanostores";
import { $roster, $visibleVisitors } from "../roster/index.ts";
import { showView } from "../view/index.ts";

/** The visitor whose profile and trail the side panel shows, by id. */
export const $selectedVisitorId = atom<string | null>(null);

/** The selected visitor's live roster entry, or null. */
export const $selectedVisitor = computed([$selectedVisitorId, $roster], (id, roster) =>
  id === null ? null : (roster.byId.get(id) ?? null),
);

/** Opens the side panel on this visitor. */
export function selectVisitor(visitorId: string): void {
  $selectedVisitorId.set(visitorId);
}

/** Goes to the live visitors page with this visitor's profile open. */
export function showVisitor(visitorId: string): void {
  selectVisitor(visitorId);
  showView("visitors");
}

/** Closes the side panel. */
export function clearSelection(): void {
  $selectedVisitorId.set(null);
}

/**
 * Moves the selection `offset` rows through the visible list (arrow keys; ±Infinity for Home
 * and End), entering it from the top or the bottom when nothing visible is selected.
 */
export function selectAdjacentVisitor(offset: number): void {
  const visible = $visibleVisitors.get();
  if (visible.length === 0) return;
  const id = $selectedVisitorId.get();
  const at = id === null ? -1 : visible.findIndex((entry) => entry.id === id);
  const from = at !== -1 ? at : offset > 0 ? -1 : visible.length;
  const next = Math.min(Math.max(from + offset, 0), visible.length - 1);
  const target = visible[next];
  if (target) selectVisitor(target.id);
}
