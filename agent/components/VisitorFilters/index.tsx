import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import type { Channel } from "../../../protocol/source.ts";
import { CHANNEL_LABELS, STATUS_LABELS } from "../../format/index.ts";
import {
  $rosterFilter,
  $statusCounts,
  $visibleVisitors,
  type RosterFilter,
  setChannelFilter,
  setStatusFilter,
} from "../../stores/roster/index.ts";

const STATUSES = ["online", "idle", "gone"] as const;
const CHANNELS = Object.keys(CHANNEL_LABELS) as Channel[];

/** Picks the option whose value the select reports, so a stray value falls back to "all". */
const pick = <T extends string>(options: readonly T[], value: string): T | "all" =>
  options.find((option) => option === value) ?? "all";

/** Status and source filters, with how many visitors they leave. */
export function VisitorFilters() {
  const filter: RosterFilter = useStore($rosterFilter);
  const counts = useStore($statusCounts);
  const shown = useStore($visibleVisitors).length;
  const onStatus = (event: JSX.TargetedEvent<HTMLSelectElement>) =>
    setStatusFilter(pick(STATUSES, event.currentTarget.value));
  const onChannel = (event: JSX.TargetedEvent<HTMLSelectElement>) =>
    setChannelFilter(pick(CHANNELS, event.currentTarget.value));
  return (
    <div class="filters">
      <label class="filter">
        Status
        <select value={filter.status} onChange={onStatus} data-testid="filter-status">
          <option value="all">All ({counts.all})</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]} ({counts[status]})
            </option>
          ))}
        </select>
      </label>
      <label class="filter">
        Source
        <select value={filter.channel} onChange={onChannel} data-testid="filter-channel">
          <option value="all">All sources</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {CHANNEL_LABELS[channel]}
            </option>
          ))}
        </select>
      </label>
      <span class="muted" data-testid="visitor-count">
        {shown} of {counts.all} visitors
      </span>
    </div>
  );
}
