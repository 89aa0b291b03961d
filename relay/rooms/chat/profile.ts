/**
 * What a visitor tells about itself: `identify` (pre-chat form, `parley('identify')`), the
 * offline form, and `setCustomData`. Pure merges; the visitor room stores the result with its
 * record and shows it to agents in the roster.
 */
import type { CustomDataEvent, VisitorContact } from "../../../protocol/index.ts";
import type { Refusal } from "../../guard.ts";

/** Custom data keys kept per visitor, after merging. */
export const CUSTOM_DATA_KEYS = 50;

export type CustomData = Record<string, string | number | boolean>;

/** Contact fields as a visitor gives them; `userId` only with the outcome of its check. */
export type ContactUpdate = {
  name?: string;
  email?: string;
  phone?: string;
  userId?: string;
};

/**
 * Merges what the visitor said into its contact: given fields replace earlier ones (blank ones
 * are ignored). A new `userId` is verified only when its `userHash` checked out.
 * @example mergeContact(undefined, { name: "Ada", userId: "u1" }, true) // { name: "Ada", userId: "u1", verified: true }
 */
export function mergeContact(
  contact: VisitorContact | undefined,
  update: ContactUpdate,
  verified: boolean,
): VisitorContact {
  const next: VisitorContact = { ...contact };
  for (const field of ["name", "email", "phone"] as const) {
    const value = update[field]?.trim();
    if (value) next[field] = value;
  }
  // Kept as given: it is the string whose signature was checked (the event schema trims it).
  const userId = update.userId;
  if (userId) {
    // Once the host has vouched for a user id, repeating it unsigned does not undo that.
    const vouched = contact?.userId === userId && contact.verified === true;
    next.userId = userId;
    next.verified = verified || vouched;
  }
  return next;
}

/**
 * Merges `setCustomData` values: a value replaces the key's earlier one, `null` removes the
 * key. Refused when the visitor would have more than CUSTOM_DATA_KEYS keys.
 */
export function mergeCustomData(
  data: CustomData | undefined,
  update: CustomDataEvent["data"],
): { ok: true; value: CustomData } | ({ ok: false } & Refusal) {
  const next: CustomData = { ...data };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > CUSTOM_DATA_KEYS) {
    return {
      ok: false,
      code: "invalid_event",
      message: `A visitor keeps at most ${CUSTOM_DATA_KEYS} custom data keys: remove some with null`,
    };
  }
  return { ok: true, value: next };
}
