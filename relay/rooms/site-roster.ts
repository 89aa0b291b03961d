/**
 * The site room's live roster: each visitor's latest entry, as its visitor room sends it. Agents
 * get the changes batched every {@link ROSTER_BROADCAST_MS} at most. The roster is saved for
 * restarts only (it is a copy of what visitor rooms have stored): a status change at once,
 * other changes every {@link ROSTER_SAVE_MS}. Visitors gone for {@link ROSTER_KEEP_GONE_MS}
 * leave it. Stored under `roster:<visitor id>`, and `gone:<visitor id>` (when the visitor went).
 */
import type { RosterEntry, RosterFrame } from "../../protocol/index.ts";
import type { Json, RoomStorage } from "../party.ts";
import { Throttle } from "../throttle.ts";

/** What a visitor room sends with `callRoom("site", siteId, "roster", …)`. */
export type RosterCall = { entry: RosterEntry };

/** Roster changes reach agents within this long, batched. */
export const ROSTER_BROADCAST_MS = 5;
/**
 * A roster entry that changed but kept its status is saved at most this often: the saved
 * roster only serves restarts, and visitor rooms send their entry again when they wake (a tab
 * reconnecting, an alarm). Each save rewrites every entry changed since the last one.
 */
export const ROSTER_SAVE_MS = 30_000;
/** Entries saved per storage write, so that a large save does not hold the room up. */
const ROSTER_SAVE_CHUNK = 250;
/** Visitors gone for longer than this leave the roster. */
export const ROSTER_KEEP_GONE_MS = 60 * 60 * 1000;

const keys = {
  roster: (id: string) => `roster:${id}`,
  gone: (id: string) => `gone:${id}`,
};

/** What the roster needs from its site room. */
export type SiteRosterHost = {
  storage: RoomStorage;
  /** Sends a frame to every signed-in agent. */
  tellAgents(frame: RosterFrame): void;
  /** A visitor's entry changed (the chat desk keeps names and pages of chats current). */
  changed(entry: RosterEntry): void;
  /** A visitor went: the next pruning may be due sooner than the room's alarm. */
  pruningDue(): Promise<void>;
  /** Visitors leave the roster, gone since `at` (the site's retention counts from then). */
  left(visitors: [visitorId: string, at: number][]): Promise<void>;
};

export type SiteRoster = ReturnType<typeof createSiteRoster>;

/**
 * @example
 * const roster = createSiteRoster({ storage, tellAgents, changed, pruningDue, left });
 * await roster.load();
 * await roster.update(entry); // from a visitor room's call
 */
export function createSiteRoster({
  storage,
  tellAgents,
  changed,
  pruningDue,
  left,
}: SiteRosterHost) {
  const entries = new Map<string, RosterEntry>();
  /** When each gone visitor went. */
  const goneAt = new Map<string, number>();
  // Entries changed and removed since the last broadcast, and changed since they were last
  // saved. Each set is replaced when taken, never cleared: clearing a set the room keeps
  // allocates its new table in the old generation (README, "Garbage under load").
  let updated = new Set<string>();
  let removed = new Set<string>();
  let unsaved = new Set<string>();
  const save = new Throttle(ROSTER_SAVE_MS, saveChanged);
  const broadcast = new Throttle(ROSTER_BROADCAST_MS, broadcastChanges);

  /** Saves the entries changed since the last save, a chunk per storage write. */
  async function saveChanged(): Promise<void> {
    const ids = [...unsaved];
    unsaved = new Set();
    for (let start = 0; start < ids.length; start += ROSTER_SAVE_CHUNK) {
      const put = new Map<string, Json>();
      for (const id of ids.slice(start, start + ROSTER_SAVE_CHUNK)) {
        const entry = entries.get(id);
        if (entry) put.set(keys.roster(id), entry);
      }
      await storage.putMany(put);
    }
  }

  /** Takes visitors off the roster, here, in storage and at the agents. */
  async function drop(ids: string[]): Promise<void> {
    for (const id of ids) {
      entries.delete(id);
      goneAt.delete(id);
      updated.delete(id);
      unsaved.delete(id);
      removed.add(id);
    }
    broadcast.request();
    await storage.deleteMany(ids.flatMap((id) => [keys.roster(id), keys.gone(id)]));
  }

  /** Sends the entries changed since the last broadcast to signed-in agents. */
  function broadcastChanges(): void {
    if (updated.size === 0 && removed.size === 0) return;
    const frame: RosterFrame = {
      type: "roster",
      full: false,
      visitors: [...updated].flatMap((id) => entries.get(id) ?? []),
    };
    if (updated.size > 0) updated = new Set();
    if (removed.size > 0) {
      frame.removed = [...removed];
      removed = new Set();
    }
    tellAgents(frame);
  }

  return {
    async load(): Promise<void> {
      const [saved, gone] = await Promise.all([
        storage.list<RosterEntry>({ prefix: "roster:" }),
        storage.list<number>({ prefix: "gone:" }),
      ]);
      for (const entry of saved.values()) entries.set(entry.id, entry);
      for (const [key, at] of gone) goneAt.set(key.slice("gone:".length), at);
    },

    get: (visitorId: string) => entries.get(visitorId),
    has: (visitorId: string) => entries.has(visitorId),
    /** Every entry, for an agent's first roster frame. */
    all: () => [...entries.values()],
    /** The visitors not gone. */
    presentIds: () =>
      [...entries.values()].filter((entry) => entry.status !== "gone").map((e) => e.id),

    /** A visitor room's current entry (built from events it validated), kept and broadcast. */
    async update(entry: RosterEntry): Promise<void> {
      const now = Date.now();
      const put = new Map<string, Json>();
      const deleted: string[] = [];
      if (entries.get(entry.id)?.status === entry.status) {
        unsaved.add(entry.id);
        save.request();
      } else {
        put.set(keys.roster(entry.id), entry);
        unsaved.delete(entry.id);
      }
      const wentNow = entry.status === "gone" && !goneAt.has(entry.id);
      if (wentNow) put.set(keys.gone(entry.id), now);
      else if (entry.status !== "gone" && goneAt.has(entry.id)) deleted.push(keys.gone(entry.id));
      // Not acknowledged to anyone, so no transaction (which would let this room take one roster
      // update per storage commit). A status change is saved at once, so a restart never shows
      // a gone visitor as present; other changes wait for the next save.
      const written: Promise<unknown>[] = [];
      if (put.size > 0) written.push(storage.putMany(put));
      if (deleted.length > 0) written.push(storage.deleteMany(deleted));
      entries.set(entry.id, entry);
      if (entry.status !== "gone") goneAt.delete(entry.id);
      else if (!goneAt.has(entry.id)) goneAt.set(entry.id, now);
      removed.delete(entry.id);
      updated.add(entry.id);
      broadcast.request();
      changed(entry);
      // Only a visitor going brings the next pruning nearer; the rest would cost a pass over
      // every gone visitor for each roster update.
      if (wentNow) written.push(pruningDue());
      if (written.length > 0) await Promise.all(written);
    },

    /** Drops the visitors gone for ROSTER_KEEP_GONE_MS by `now`, and tells the agents. */
    async prune(now: number): Promise<void> {
      const pruned = [...goneAt].filter(([, at]) => now - at >= ROSTER_KEEP_GONE_MS);
      if (pruned.length === 0) return;
      await left(pruned);
      await drop(pruned.map(([id]) => id));
    },

    /** A visitor whose data was deleted leaves the roster at once, and the agents' lists. */
    forget(visitorId: string): Promise<void> {
      return drop([visitorId]);
    },

    /** When the next visitor is due to leave, or null. */
    nextPruning(): number | null {
      let next: number | null = null;
      for (const at of goneAt.values()) {
        if (next === null || at + ROSTER_KEEP_GONE_MS < next) next = at + ROSTER_KEEP_GONE_MS;
      }
      return next;
    },
  };
}
