/**
 * A site's deletion (`DELETE /api/site`). The site room first ends what is live: the site and
 * its agents' accounts go in one write with the mark kept here, so that from then on no agent
 * signs in and no visitor connects. Then the room's alarm deletes the visitors' data,
 * DELETION_BATCH visitors a run (each as `POST /api/visitors/forget` does: trail, chat and its
 * files, offline messages; their open tabs close), and once none is left, the agents' uploads
 * and everything else the room stored. The mark stays for good: the id is never given to a new
 * site, which would otherwise meet what is left of the old one while the deletion runs, or its
 * visitors' browsers.
 */
import type { RoomStorage } from "../party.ts";

/** Visitors deleted per alarm; more left make the next alarm come at once. */
export const DELETION_BATCH = 50;
/** The room's other keys deleted per storage call once the visitors are gone. */
const WIPE_PAGE = 1000;
const MARK_KEY = "deleted";

/** What the site room keeps of a deleted site. */
type DeletionMark = { at: number; by: string; finished: boolean };

/** What the deletion needs from its site room. */
export type SiteDeletionHost = {
  storage: RoomStorage;
  /** The prefix of the keys that list the site's visitors, one for each it has known. */
  visitorPrefix: string;
  /** Deletes everything stored of the visitor, and their key under `visitorPrefix`. */
  forget(visitorId: string): Promise<void>;
  /** Deletes the files left of the site once its visitors are gone: its agents' uploads. */
  forgetFiles(): Promise<void>;
};

export type SiteDeletion = ReturnType<typeof createSiteDeletion>;

/**
 * @example
 * const deletion = createSiteDeletion({ storage, visitorPrefix: "visitor:", forget });
 * await deletion.load();
 * await deletion.begin({ at: Date.now(), by: agentId, alsoDelete: ["site"] });
 * while (await deletion.step()) {} // the site room runs one step per alarm
 */
export function createSiteDeletion({
  storage,
  visitorPrefix,
  forget,
  forgetFiles,
}: SiteDeletionHost) {
  let mark: DeletionMark | null = null;

  return {
    async load(): Promise<void> {
      mark = (await storage.get<DeletionMark>(MARK_KEY)) ?? null;
    },

    /** Whether the site was deleted (its data may still be going). */
    deleted: (): boolean => mark !== null,

    /** Whether data of the deleted site is left to delete. */
    running: (): boolean => mark !== null && !mark.finished,

    /** Marks the site deleted, deleting `alsoDelete` (the site, its accounts) in the same write. */
    async begin({ at, by, alsoDelete }: { at: number; by: string; alsoDelete: string[] }) {
      const begun: DeletionMark = { at, by, finished: false };
      await storage.transaction(async (txn) => {
        await txn.put(MARK_KEY, begun);
        await txn.deleteMany(alsoDelete);
      });
      mark = begun;
    },

    /**
     * Deletes the next DELETION_BATCH visitors' data; once none is left, the site's remaining
     * files and every other key but the mark. Answers whether anything is left for another step. A visitor whose deletion
     * fails stops the step with its error, and is the first of the next.
     */
    async step(): Promise<boolean> {
      if (!mark || mark.finished) return false;
      const visitors = await storage.list({ prefix: visitorPrefix, limit: DELETION_BATCH });
      if (visitors.size > 0) {
        for (const key of visitors.keys()) await forget(key.slice(visitorPrefix.length));
        return true;
      }
      await forgetFiles();
      for (;;) {
        const page = await storage.list({ limit: WIPE_PAGE });
        const keys = [...page.keys()].filter((key) => key !== MARK_KEY);
        if (keys.length === 0) break;
        await storage.deleteMany(keys);
      }
      const finished: DeletionMark = { ...mark, finished: true };
      await storage.put(MARK_KEY, finished);
      mark = finished;
      return false;
    },
  };
}
