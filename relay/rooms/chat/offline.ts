/**
 * Offline-form submissions, kept by the site room in arrival order under
 * `offline:<at>:<id>`, each stored once however often the visitor's outbox re-sends it, with a
 * status shared by every agent (unread, read, done) and the count of unread ones.
 */

import * as v from "valibot";
import {
  IdSchema,
  type OfflineMessage,
  type OfflineMessageStatus,
  type OfflineMessagesFrame,
  type OfflineMessagesResponse,
} from "../../../protocol/index.ts";
import type { RoomStorage } from "../../party.ts";

/** Submissions `GET /api/offline-messages` and an agent's first frame list, the latest first. */
export const OFFLINE_MESSAGES_LISTED = 200;

/** `POST /offline-messages` from a visitor room: built from a validated event. */
export const OfflineMessageBodySchema = v.object({
  message: v.looseObject({ id: IdSchema, visitorId: IdSchema, text: v.string() }),
});

const messageKey = (message: Pick<OfflineMessage, "at" | "id">) =>
  `offline:${String(message.at).padStart(15, "0")}:${message.id}`;
const idKey = (id: string) => `offline-id:${id}`;
const UNREAD_KEY = "offline-unread";

/** A message as stored: those from before statuses existed have none, and are unread. */
type StoredOfflineMessage = Omit<OfflineMessage, "status"> & { status?: OfflineMessageStatus };
const withStatus = (stored: StoredOfflineMessage): OfflineMessage => ({
  ...stored,
  status: stored.status ?? "unread",
});

/** What the inbox needs from its site room. */
export type OfflineInboxHost = {
  storage: RoomStorage;
  /** Sends a frame to every signed-in agent. */
  tellAgents(frame: OfflineMessagesFrame): void;
};

export type OfflineInbox = ReturnType<typeof createOfflineInbox>;

/**
 * The site's offline messages: stores submissions once, changes their status, and tells every
 * agent about each new or changed one. Changes run one at a time, so the unread count holds.
 *
 * @example
 * const inbox = createOfflineInbox({ storage, tellAgents });
 * await inbox.load();
 * await inbox.store(message);
 */
export function createOfflineInbox({ storage, tellAgents }: OfflineInboxHost) {
  let unread = 0;
  let chain: Promise<unknown> = Promise.resolve();

  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  }

  function changed(message: OfflineMessage): void {
    tellAgents({ type: "offline-messages", full: false, messages: [message], unread });
  }

  async function latest(limit = OFFLINE_MESSAGES_LISTED): Promise<OfflineMessage[]> {
    const stored = await storage.list<StoredOfflineMessage>({
      prefix: "offline:",
      reverse: true,
      limit,
    });
    return [...stored.values()].map(withStatus);
  }

  return {
    /** Reads the unread count; counts it once for sites from before it was kept. */
    async load(): Promise<void> {
      const stored = await storage.get<number>(UNREAD_KEY);
      if (stored !== undefined) {
        unread = stored;
        return;
      }
      const all = await storage.list<StoredOfflineMessage>({ prefix: "offline:" });
      unread = [...all.values()].filter(
        (message) => withStatus(message).status === "unread",
      ).length;
      if (unread > 0) await storage.put(UNREAD_KEY, unread);
    },

    /** `GET /api/offline-messages`, and the `full` frame an agent gets on connecting. */
    async list(): Promise<OfflineMessagesResponse> {
      return { messages: await latest(), unread };
    },

    /** Stores `message` unless one with its id is stored; true when it was new. */
    store(message: Omit<OfflineMessage, "status">): Promise<boolean> {
      return serially(async () => {
        if ((await storage.get<string>(idKey(message.id))) !== undefined) return false;
        const stored: OfflineMessage = { ...message, status: "unread" };
        await storage.putMany({
          [messageKey(stored)]: stored,
          [idKey(stored.id)]: messageKey(stored),
          [UNREAD_KEY]: unread + 1,
        });
        unread += 1;
        changed(stored);
        return true;
      });
    },

    /**
     * Deletes every message the visitor sent; agents get the list anew. Reads the whole inbox:
     * a rare admin's request, not worth an index by visitor.
     */
    forgetVisitor(visitorId: string): Promise<void> {
      return serially(async () => {
        const all = await storage.list<StoredOfflineMessage>({ prefix: "offline:" });
        const theirs = [...all].filter(([, message]) => message.visitorId === visitorId);
        if (theirs.length === 0) return;
        const wereUnread = theirs.filter(([, m]) => withStatus(m).status === "unread").length;
        await storage.deleteMany(theirs.flatMap(([key, message]) => [key, idKey(message.id)]));
        unread -= wereUnread;
        await storage.put(UNREAD_KEY, unread);
        tellAgents({ type: "offline-messages", full: true, messages: await latest(), unread });
      });
    },

    /** Sets a message's status for every agent; null when there is no such message. */
    mark(id: string, status: OfflineMessageStatus): Promise<OfflineMessage | null> {
      return serially(async () => {
        const key = await storage.get<string>(idKey(id));
        const stored = key === undefined ? undefined : await storage.get<StoredOfflineMessage>(key);
        if (key === undefined || stored === undefined) return null;
        const before = withStatus(stored);
        if (before.status === status) return before;
        const next = unread + (status === "unread" ? 1 : before.status === "unread" ? -1 : 0);
        const message: OfflineMessage = { ...before, status };
        await storage.putMany({ [key]: message, [UNREAD_KEY]: next });
        unread = next;
        changed(message);
        return message;
      });
    },
  };
}
