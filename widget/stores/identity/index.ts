import { atom } from "nanostores";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import type { TrackingEvent } from "../../../protocol/visitor.ts";
import { warnOnce } from "../../../sdk/guard/index.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { record } from "../session/index.ts";

/** Who the visitor says they are, from `parley("identify")` or the pre-chat form. */
export type Contact = {
  name?: string;
  email?: string;
  phone?: string;
  /** The host's own user id; trusted by the relay only with a valid `userHash`. */
  userId?: string;
  /** HMAC-SHA256(site secret, userId), hex, made by the host's server. */
  userHash?: string;
};

const FIELDS = ["name", "email", "phone", "userId", "userHash"] as const;

/** What the visitor told us about themselves on this page (forms start filled with it). */
export const $contact = atom<Contact>({});

/**
 * Tells the agents who the visitor is: the non-empty text fields of `contact`, others ignored.
 * Durable: goes through the outbox. Answers false when there was nothing to send.
 *
 * @example identify({ name: "Ann", email: "ann@example.com" })
 */
export function identify(contact: unknown): boolean {
  if (!contact || typeof contact !== "object") {
    warnOnce("identify takes an object: { name, email, phone, userId, userHash }");
    return false;
  }
  const known: Contact = {};
  for (const field of FIELDS) {
    const value = (contact as Record<string, unknown>)[field];
    if (typeof value === "string" && value.trim()) known[field] = value.trim();
  }
  if (!Object.keys(known).length) return false;
  $contact.set({ ...$contact.get(), ...known });
  return record({ kind: "identify", id: randomId(), at: Date.now(), ...known });
}

type CustomValue = string | number | boolean | null;

/**
 * Attaches key-value data to the visitor for the agents (plan, cart value...), merged with
 * earlier data. Values are strings (up to 256 characters), numbers, booleans or null; at most 50
 * keys. Durable: goes through the outbox.
 *
 * @example setCustomData({ plan: "pro", cartValue: 129.5 })
 */
export function setCustomData(data: unknown): boolean {
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    warnOnce("setCustomData takes an object of strings, numbers, booleans or null");
    return false;
  }
  const entries = Object.entries(data).filter(
    ([key, value]: [string, unknown]) =>
      key.length <= 64 &&
      (value === null ||
        typeof value === "number" ||
        typeof value === "boolean" ||
        (typeof value === "string" && value.length <= LABEL_LENGTH)),
  ) as [string, CustomValue][];
  if (entries.length !== Object.keys(data).length || entries.length > 50)
    warnOnce("setCustomData: some keys or values were not accepted");
  if (!entries.length) return false;
  const event: TrackingEvent = {
    kind: "custom-data",
    id: randomId(),
    at: Date.now(),
    data: Object.fromEntries(entries.slice(0, 50)),
  };
  return record(event);
}
