/**
 * A site's retention: with `retentionDays` set, a visitor's data is deleted that many days after
 * their last visit. The site room tells it when a visitor leaves the roster (gone for an hour),
 * and it keeps when each visitor was last seen and an index of those times, so that the due
 * ones are found without reading every visitor. A visitor who comes back is left alone: their
 * next leaving is recorded anew, and the older index entry is dropped when it comes due.
 * Visitors a site knew before this index existed are indexed once, as seen at that start.
 */
import { log } from "../log.ts";
import type { RoomStorage } from "../party.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Visitors deleted per alarm; more due make the next alarm come at once. */
export const RETENTION_BATCH = 50;
/** A visitor whose deletion failed is tried again this much later. */
export const RETENTION_RETRY_MS = 60 * 60 * 1000;

const keys = {
  /** When the visitor was last seen: their latest leaving. */
  seen: (id: string) => `seen:${id}`,
  /**
   * The index, in time order: a fixed-width time, then the visitor; the value is when the
   * visitor was seen (the time in the key is later for a deletion tried again).
   */
  due: (at: number, id: string) => `seen-index:${String(at).padStart(15, "0")}:${id}`,
  duePrefix: "seen-index:",
  /** Set once the visitors known from before the index have entries in it. */
  backfilled: "seen-backfilled",
};
/** Visitors read per storage call while backfilling. */
const BACKFILL_PAGE = 1000;

/** What retention needs from its site room. */
export type RetentionHost = {
  storage: RoomStorage;
  /** Whether the visitor is on the site now (online or idle, not gone). */
  present(visitorId: string): boolean;
  /** Deletes everything stored of the visitor, as `POST /api/visitors/forget` does. */
  forget(visitorId: string): Promise<void>;
};

export type SiteRetention = ReturnType<typeof createSiteRetention>;

/**
 * @example
 * const retention = createSiteRetention({ storage, present, forget });
 * await retention.load();
 * await retention.visitorsLeft([["visitor-1", goneAt]]);
 * const next = retention.nextSweep(30); // when the first visitor is due, with 30 days kept
 */
export function createSiteRetention({ storage, present, forget }: RetentionHost) {
  /** The oldest time in the index, or null when it is empty. */
  let oldest: number | null = null;

  async function readOldest(): Promise<void> {
    const first = await storage.list({ prefix: keys.duePrefix, limit: 1 });
    const [key] = first.keys();
    oldest = key ? Number(key.slice(keys.duePrefix.length, keys.duePrefix.length + 15)) : null;
  }

  async function visitorsLeft(left: [visitorId: string, at: number][]): Promise<void> {
    if (left.length === 0) return;
    const put = new Map<string, number>();
    for (const [id, at] of left) {
      put.set(keys.seen(id), at);
      put.set(keys.due(at, id), at);
      if (oldest === null || at < oldest) oldest = at;
    }
    await storage.putMany(put);
  }

  let sweeping: Promise<number> | null = null;
  async function sweepDue(now: number, days: number): Promise<number> {
    const due = await storage.list<number>({
      prefix: keys.duePrefix,
      end: keys.due(now - days * DAY_MS + 1, ""),
      limit: RETENTION_BATCH,
    });
    const entries = [...due].map(([key, at]) => ({
      key,
      at,
      id: key.slice(keys.duePrefix.length + 16),
    }));
    const seen = await storage.getMany<number>(entries.map(({ id }) => keys.seen(id)));
    // Read once, written once: the index entries taken, the visitors deleted, the retries.
    const done: string[] = [];
    const retries = new Map<string, number>();
    let deleted = 0;
    for (const { key, at, id } of entries) {
      done.push(key);
      if (seen.get(keys.seen(id)) !== at || present(id)) continue;
      try {
        await forget(id);
        done.push(keys.seen(id));
        deleted += 1;
      } catch (error) {
        log.error("visitor data could not be deleted", { visitor: id, error });
        retries.set(keys.due(now + RETENTION_RETRY_MS - days * DAY_MS, id), at);
      }
    }
    await Promise.all([storage.deleteMany(done), storage.putMany(retries)]);
    await readOldest();
    return deleted;
  }

  return {
    load: readOldest,

    /**
     * Once per site: indexes the visitors it knew before it kept this index (their keys start
     * with `visitorPrefix`), as last seen `now`, so that they too are deleted in time: counted
     * from this start. Visitors on the site now are left to their next leaving.
     */
    async backfill(visitorPrefix: string, now: number): Promise<void> {
      if ((await storage.get(keys.backfilled)) !== undefined) return;
      let start: string | undefined;
      for (;;) {
        const page = await storage.list({ prefix: visitorPrefix, start, limit: BACKFILL_PAGE });
        const ids = [...page.keys()].map((key) => key.slice(visitorPrefix.length));
        const seen = await storage.getMany(ids.map(keys.seen));
        await visitorsLeft(
          ids.filter((id) => !present(id) && !seen.has(keys.seen(id))).map((id) => [id, now]),
        );
        const last = [...page.keys()].at(-1);
        if (page.size < BACKFILL_PAGE || last === undefined) break;
        start = `${last}\u0000`;
      }
      await storage.put(keys.backfilled, now);
    },

    /** Visitors left the roster: each was last seen when they went. */
    visitorsLeft,

    /** A visitor's data was deleted on request: nothing is left to expire. */
    async forgotten(visitorId: string): Promise<void> {
      await storage.delete(keys.seen(visitorId));
    },

    /** When the next visitor's data is due for deletion with `days` kept, or null. */
    nextSweep(days: number): number | null {
      return days > 0 && oldest !== null ? oldest + days * DAY_MS : null;
    },

    /**
     * Deletes the data of visitors last seen `days` or more before `now`, RETENTION_BATCH at
     * most; index entries of visitors seen since, or present, are dropped. A deletion that
     * fails is logged and tried again RETENTION_RETRY_MS later. Answers how many visitors it
     * deleted.
     */
    async sweep(now: number, days: number): Promise<number> {
      if (days <= 0) return 0;
      // One sweep at a time: a deletion's changes may set the room's alarm again meanwhile.
      sweeping ??= sweepDue(now, days).finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };
}
