import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { $visibleVisitors } from "../../stores/roster/index.ts";
import {
  $selectedVisitorId,
  clearSelection,
  selectAdjacentVisitor,
  selectVisitor,
} from "../../stores/selection/index.ts";
import { VirtualList } from "../VirtualList/index.tsx";
import { VisitorRow, visitorRowId } from "../VisitorRow/index.tsx";

/** Must match `.visitor-row` height in styles.css. */
const ROW_HEIGHT = 48;

const KEY_STEPS: Record<string, number> = {
  ArrowDown: 1,
  ArrowUp: -1,
  PageDown: 10,
  PageUp: -10,
  Home: -Infinity,
  End: Infinity,
};

/** The live visitors as a keyboard-navigable listbox, rendering only the rows in view. */
export function VisitorList() {
  const visitors = useStore($visibleVisitors);
  const selectedId = useStore($selectedVisitorId);
  const [revealIndex, setRevealIndex] = useState(-1);
  const selectedIndex = selectedId ? visitors.findIndex((entry) => entry.id === selectedId) : -1;

  // One handler for every row: rows come and go as the list scrolls.
  const onClick = (event: JSX.TargetedMouseEvent<HTMLDivElement>) => {
    const target = event.target instanceof Element ? event.target : null;
    const id = target?.closest<HTMLElement>("[data-visitor-id]")?.dataset.visitorId;
    if (id) selectVisitor(id);
  };

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      clearSelection();
      return;
    }
    const step = KEY_STEPS[event.key];
    if (step === undefined) return;
    event.preventDefault();
    selectAdjacentVisitor(step);
    const id = $selectedVisitorId.get();
    setRevealIndex($visibleVisitors.get().findIndex((entry) => entry.id === id));
  };

  return (
    <div class="visitor-list">
      <div class="visitor-list-head" aria-hidden="true">
        <span class="cell cell-status">Status</span>
        <span class="cell cell-visitor">Visitor</span>
        <span class="cell cell-page">Current page</span>
        <span class="cell cell-source">Source</span>
        <span class="cell cell-number">Engaged</span>
        <span class="cell cell-number cell-pageviews">Pages</span>
        <span class="cell cell-number cell-visits">Visits</span>
      </div>
      {visitors.length === 0 && (
        <p class="empty" data-testid="visitor-list-empty">
          No visitors match.
        </p>
      )}
      <VirtualList
        class="visitor-list-body"
        items={visitors}
        rowHeight={ROW_HEIGHT}
        revealIndex={revealIndex}
        role="listbox"
        aria-label="Visitors"
        tabIndex={0}
        aria-activedescendant={
          selectedIndex >= 0 && selectedId ? visitorRowId(selectedId) : undefined
        }
        onKeyDown={onKeyDown}
        onClick={onClick}
        data-testid="visitor-list"
        renderRow={(entry, index) => (
          <VisitorRow
            key={entry.id}
            entry={entry}
            selected={entry.id === selectedId}
            position={index + 1}
            setSize={visitors.length}
          />
        )}
      />
    </div>
  );
}
