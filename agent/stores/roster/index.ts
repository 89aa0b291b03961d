import { atom, computed, map } from "nanostores";
import type { RosterEntry, RosterFrame, VisitorStatus } from "../../../protocol/agent.ts";
import { HEARTBEAT_MS } from "../../../protocol/limits.ts";
import type { Channel } from "../../../protocol/source.ts";

/**
 * The live visitors: a Map by id plus the same entries sorted by latest activity first.
 * {@link applyRosterFrame} updates the Map in place and makes a new sorted list; treat both as
 * read-only snapshots that are valid until the next frame.
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

/** A roster that can be changed in place: what {@link applyRosterFrameTo} works on. */
export type MutableRoster = { byId: Map<string, RosterEntry>; sorted: RosterEntry[] };

/** An empty roster. */
export const emptyRoster = (): MutableRoster => ({ byId: new Map(), sorted: [] });

/** Two lists sorted by {@link compareByActivity} as one, in one pass. */
function mergeByActivity(a: readonly RosterEntry[], b: readonly RosterEntry[]): RosterEntry[] {
  const merged = new Array<RosterEntry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const left = a[i] as RosterEntry;
    const right = b[j] as RosterEntry;
    if (compareByActivity(left, right) <= 0) {
      merged[k++] = left;
      i++;
    } else {
      merged[k++] = right;
      j++;
    }
  }
  while (i < a.length) merged[k++] = a[i++] as RosterEntry;
  while (j < b.length) merged[k++] = b[j++] as RosterEntry;
  return merged;
}

/**
 * Applies a roster frame: a full frame replaces everything; a delta drops the ids in
 * `removed`, then replaces or adds the entries it lists (the last one wins when an id comes
 * twice). The entries a delta touches are taken out of the sorted list in one pass, sorted
 * among themselves and merged back: O(n + k log k) for a delta of k entries. A struggling
 * relay sends every visitor in one delta, and taking them out one by one (an array splice
 * each) cost 5,000 × 5,000 moves, over 100 ms on the main thread.
 */
export function applyRosterFrameTo(roster: MutableRoster, frame: RosterFrame): void {
  if (frame.full) {
    roster.byId = new Map(frame.visitors.map((entry) => [entry.id, entry]));
    roster.sorted = [...roster.byId.values()].sort(compareByActivity);
    return;
  }
  const touched = new Set<string>();
  for (const id of frame.removed ?? []) {
    if (roster.byId.delete(id)) touched.add(id);
  }
  for (const entry of frame.visitors) {
    roster.byId.set(entry.id, entry);
    touched.add(entry.id);
  }
  if (touched.size === 0) return;
  const arrived = [...new Set(frame.visitors)]
    .filter((entry) => roster.byId.get(entry.id) === entry)
    .sort(compareByActivity);
  const kept = roster.sorted.filter((entry) => !touched.has(entry.id));
  roster.sorted = mergeByActivity(kept, arrived);
}

let current = emptyRoster();

/** Every live visitor, by id and sorted by latest activity. */
export const $roster = atom<Roster>({ byId: current.byId, sorted: current.sorted });

/** Applies a `roster` frame from the relay to {@link $roster} at once. */
export function applyRosterFrame(frame: RosterFrame): void {
  dropPending();
  applyRosterFrameTo(current, frame);
  if (frame.full || frame.removed?.length) forgetShownEngaged(current.byId);
  $roster.set({ byId: current.byId, sorted: current.sorted });
}

/**
 * Deltas are applied at most this often. A quiet relay's delta shows at once; a busy relay
 * sends one every few ms, and applying each (a pass over every visitor, then the list's redraw)
 * would take most of the main thread with 5,000 visitors.
 */
export const ROSTER_APPLY_MS = 250;

/** The latest of each visitor since the last apply: an entry, or null when it was removed. */
let pending = new Map<string, RosterEntry | null>();
let pendingTimer: ReturnType<typeof setTimeout> | undefined;
let appliedAt = Number.NEGATIVE_INFINITY;

function dropPending(): void {
  clearTimeout(pendingTimer);
  pendingTimer = undefined;
  pending = new Map();
}

/** Applies what is pending as one delta. */
function applyPending(): void {
  const changes = pending;
  dropPending();
  appliedAt = Date.now();
  const visitors: RosterEntry[] = [];
  const removed: string[] = [];
  for (const [id, entry] of changes) {
    if (entry) visitors.push(entry);
    else removed.push(id);
  }
  applyRosterFrameTo(current, { type: "roster", full: false, visitors, removed });
  if (removed.length > 0) forgetShownEngaged(current.byId);
  $roster.set({ byId: current.byId, sorted: current.sorted });
}

/**
 * Takes a `roster` frame from the relay: a full frame applies at once, a delta at once when
 * the last apply was {@link ROSTER_APPLY_MS} ago, or else with the others that arrive until
 * then, as one.
 */
export function receiveRosterFrame(frame: RosterFrame): void {
  if (frame.full) {
    applyRosterFrame(frame);
    return;
  }
  for (const id of frame.removed ?? []) pending.set(id, null);
  for (const entry of frame.visitors) pending.set(entry.id, entry);
  if (pendingTimer !== undefined) return;
  const wait = appliedAt + ROSTER_APPLY_MS - Date.now();
  if (wait <= 0) applyPending();
  else pendingTimer = setTimeout(applyPending, wait);
}

/** Forgets every visitor: on sign-out or when switching sites. */
export function resetRoster(): void {
  dropPending();
  appliedAt = Number.NEGATIVE_INFINITY;
  current = emptyRoster();
  shownEngaged.clear();
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

/** The most engaged time shown for each visitor, with the visit it was for. */
const shownEngaged = new Map<string, { visitId: string; ms: number }>();

/**
 * Engaged time to show for the visitor's current visit at `now`: {@link engagedMsAt}, but never
 * less than was shown before for the same visit. Counting on between heartbeats guesses that
 * the visitor stayed engaged; when the next report (or the one saying they left) carries less,
 * the figure holds still until the relay's catches up, rather than running backwards. A new
 * visit starts afresh.
 *
 * @example <>{formatDuration(shownEngagedMs(entry, $now.get()))}</>
 */
export function shownEngagedMs(
  entry: Pick<RosterEntry, "id" | "status" | "visit">,
  now: number,
): number {
  const ms = engagedMsAt(entry, now);
  if (!entry.visit) return ms;
  const before = shownEngaged.get(entry.id);
  const shown = before?.visitId === entry.visit.id ? Math.max(before.ms, ms) : ms;
  shownEngaged.set(entry.id, { visitId: entry.visit.id, ms: shown });
  return shown;
}

/** Forgets what was shown for visitors who left the roster, so the memory stays its size. */
function forgetShownEngaged(byId: ReadonlyMap<string, RosterEntry>): void {
  for (const id of shownEngaged.keys()) if (!byId.has(id)) shownEngaged.delete(id);
}
