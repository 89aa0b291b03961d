/**
 * Offline-form submissions, kept by the site room in arrival order under
 * `offline:<at>:<id>`, each stored once however often the visitor's outbox re-sends it.
 */

import * as v from "valibot";
import { IdSchema, type OfflineMessage } from "../../../protocol/index.ts";
import type { RoomStorage } from "../../party.ts";

/** Submissions `GET /api/offline-messages` lists, the latest first. */
export const OFFLINE_MESSAGES_LISTED = 200;

/** `POST /offline-messages` from a visitor room: built from a validated event. */
export const OfflineMessageBodySchema = v.object({
  message: v.looseObject({ id: IdSchema, visitorId: IdSchema, text: v.string() }),
});

const messageKey = (message: OfflineMessage) =>
  `offline:${String(message.at).padStart(15, "0")}:${message.id}`;
const idKey = (id: string) => `offline-id:${id}`;

/** Stores `message` unless one with its id is stored; true when it was new. */
export function storeOfflineMessage(
  storage: RoomStorage,
  message: OfflineMessage,
): Promise<boolean> {
  return storage.transaction(async (txn) => {
    if ((await txn.get<string>(idKey(message.id))) !== undefined) return false;
    const key = messageKey(message);
    await txn.putMany({ [key]: message, [idKey(message.id)]: key });
    return true;
  });
}

/** The latest submissions, newest first. */
export async function listOfflineMessages(
  storage: RoomStorage,
  limit = OFFLINE_MESSAGES_LISTED,
): Promise<OfflineMessage[]> {
  const stored = await storage.list<OfflineMessage>({ prefix: "offline:", reverse: true, limit });
  return [...stored.values()];
}
