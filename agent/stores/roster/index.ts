import { atom, computed, map } from "nanostores";
import type { RosterEntry, RosterFrame, VisitorStatus } from "../../../protocol/agent.ts";
import { HEARTBEAT_MS } from "../../../protocol/limits.ts";
import type { Channel } from "../../../protocol/source.ts";

/**
 * The live visitors: a Map by id plus the same entries sorted by latest activity first.
 * Both are updated in place by {@link applyRosterFrame}; treat them as read-only snapshots
 * that are valid until the next frame.
 */
export type Roster = {
  byId: ReadonlyMap<string, RosterEntry>;
  sorted: readonly RosterEntry[];
};

/** Latest activity first; the id breaks ties so the order is stable between frames. */
export function compareByActivity(a: RosterEntry, b: RosterEntry): number {
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The first index in `sorted` whose entry sorts after `entry`. */
function insertionIndex(sorted: readonly RosterEntry[], entry: RosterEntry): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const probe = sorted[middle];
    if (probe && compareByActivity(probe, entry) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A roster that can be changed in place: what {@link applyRosterFrameTo} works on. */
export type MutableRoster = { byId: Map<string, RosterEntry>; sorted: RosterEntry[] };

/** An empty roster. */
export const emptyRoster = (): MutableRoster => ({ byId: new Map(), sorted: [] });

/** Where `entry`, which is in `sorted`, sits: one before the index it would be inserted at. */
const positionOf = (sorted: readonly RosterEntry[], entry: RosterEntry): number =>
  insertionIndex(sorted, entry) - 1;

/**
 * Applies a roster frame: a full frame replaces everything; a delta drops the ids in
 * `removed`, then replaces or adds the entries it lists. A changed entry whose activity time
 * did not change keeps its place; one that moved is taken out and put back with binary search,
 * so a delta of k entries costs O(k log n) comparisons instead of a re-sort.
 */
export function applyRosterFrameTo(roster: MutableRoster, frame: RosterFrame): void {
  if (frame.full) {
    roster.byId = new Map(frame.visitors.map((entry) => [entry.id, entry]));
    roster.sorted = [...roster.byId.values()].sort(compareByActivity);
    return;
  }
  for (const id of frame.removed ?? []) {
    const previous = roster.byId.get(id);
    if (!previous) continue;
    roster.byId.delete(id);
    roster.sorted.splice(positionOf(roster.sorted, previous), 1);
  }
  for (const entry of frame.visitors) {
    const previous = roster.byId.get(entry.id);
    roster.byId.set(entry.id, entry);
    if (previous) {
      const at = positionOf(roster.sorted, previous);
      if (compareByActivity(previous, entry) === 0) {
        roster.sorted[at] = entry;
        continue;
      }
      roster.sorted.splice(at, 1);
    }
    roster.sorted.splice(insertionIndex(roster.sorted, entry), 0, entry);
  }
}

let current = emptyRoster();

/** Every live visitor, by id and sorted by latest activity. */
export const $roster = atom<Roster>({ byId: current.byId, sorted: current.sorted });

/** Applies a `roster` frame from the relay to {@link $roster}. */
export function applyRosterFrame(frame: RosterFrame): void {
  applyRosterFrameTo(current, frame);
  $roster.set({ byId: current.byId, sorted: current.sorted });
}

/** Forgets every visitor: on sign-out or when switching sites. */
export function resetRoster(): void {
  current = emptyRoster();
  $roster.set({ byId: current.byId, sorted: current.sorted });
}

/** Which visitors the list shows. */
export type RosterFilter = { status: VisitorStatus | "all"; channel: Channel | "all" };

/** The list's filters: by presence and by the current visit's source channel. */
export const $rosterFilter = map<RosterFilter>({ status: "all", channel: "all" });

/** Shows only visitors with this status, or all. */
export function setStatusFilter(status: RosterFilter["status"]): void {
  $rosterFilter.setKey("status", status);
}

/** Shows only visitors whose current visit came through this channel, or all. */
export function setChannelFilter(channel: RosterFilter["channel"]): void {
  $rosterFilter.setKey("channel", channel);
}

/** Whether `entry` passes `filter`. */
function matchesFilter(entry: RosterEntry, filter: RosterFilter): boolean {
  if (filter.status !== "all" && entry.status !== filter.status) return false;
  return filter.channel === "all" || entry.source?.channel === filter.channel;
}

/** The visitors the list shows, latest activity first: a fresh array after every change. */
export const $visibleVisitors = computed([$roster, $rosterFilter], (roster, filter) =>
  roster.sorted.filter((entry) => matchesFilter(entry, filter)),
);

/** How many visitors have each status, for the filter's labels. */
export const $statusCounts = computed($roster, (roster) => {
  const counts: Record<VisitorStatus | "all", number> = {
    all: roster.sorted.length,
    online: 0,
    idle: 0,
    gone: 0,
  };
  for (const entry of roster.sorted) counts[entry.status] += 1;
  return counts;
});

/**
 * How far the console keeps counting engaged time past the relay's last report: a heartbeat,
 * plus slack for roster coalescing and the network. Past it the visitor has likely stopped
 * and the report saying so is late; holding still beats counting time that never happened.
 */
export const ENGAGED_EXTRAPOLATION_CAP_MS = HEARTBEAT_MS + 5_000;

/**
 * Engaged time of the visitor's current visit at `now`: the relay's figure, plus the time
 * since it was measured while the visitor is engaged and online (capped, see
 * {@link ENGAGED_EXTRAPOLATION_CAP_MS}).
 *
 * @example engagedMsAt(entry, $now.get())
 */
export function engagedMsAt(entry: Pick<RosterEntry, "status" | "visit">, now: number): number {
  const visit = entry.visit;
  if (!visit) return 0;
  if (!visit.engaged || entry.status !== "online") return visit.engagedMs;
  const since = Math.min(Math.max(0, now - visit.engagedAt), ENGAGED_EXTRAPOLATION_CAP_MS);
  return visit.engagedMs + since;
}
