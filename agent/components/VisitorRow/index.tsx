import type { RosterEntry } from "../../../protocol/agent.ts";
import { deviceLabel, sourceLabel } from "../../format/index.ts";
import { EngagedTime } from "../EngagedTime/index.tsx";
import { StatusBadge } from "../StatusBadge/index.tsx";

/** The DOM id of a visitor's row, for `aria-activedescendant`. */
export const visitorRowId = (visitorId: string) => `visitor-row-${visitorId}`;

type VisitorRowProps = {
  entry: RosterEntry;
  selected: boolean;
  /** 1-based position in the filtered list, and its length: the list is virtual. */
  position: number;
  setSize: number;
};

/**
 * One visitor in the live list: only the rows in view exist, so re-rendering them all on a
 * roster frame is cheap; the engaged time ticks on its own. Clicks and keys are handled by
 * the list, which owns the focus.
 */
export function VisitorRow({ entry, selected, position, setSize }: VisitorRowProps) {
  const device = deviceLabel(entry.device);
  const source = sourceLabel(entry.source);
  const title = entry.page ? entry.page.title || "(no title)" : "—";
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: the listbox keeps focus and points at the selected row with aria-activedescendant; a focusable row would drop focus when scrolled out of the virtual list.
    <div
      id={visitorRowId(entry.id)}
      class="visitor-row"
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      data-testid="visitor-row"
      data-visitor-id={entry.id}
    >
      <span class="cell cell-status">
        <StatusBadge status={entry.status} testId="visitor-status" />
      </span>
      <span class="cell cell-visitor">
        <span class="primary-line" data-testid="visitor-name">
          {entry.name}
        </span>
        <span class="secondary-line" data-testid="visitor-device" title={device}>
          {device}
        </span>
      </span>
      <span class="cell cell-page">
        <span class="primary-line" data-testid="visitor-page-title" title={title}>
          {title}
        </span>
        <span class="secondary-line" data-testid="visitor-page-url" title={entry.page?.url}>
          {entry.page?.url}
        </span>
      </span>
      <span class="cell cell-source" data-testid="visitor-source" title={source}>
        {source}
      </span>
      <span class="cell cell-number" data-testid="visitor-engaged">
        <EngagedTime entry={entry} />
      </span>
      <span class="cell cell-number cell-pageviews" data-testid="visitor-pageviews">
        {entry.visit?.pageviews ?? 0}
      </span>
      <span class="cell cell-number cell-visits" data-testid="visitor-visits">
        {entry.visits}
      </span>
    </div>
  );
}
