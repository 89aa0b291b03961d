import { atom } from "nanostores";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import { warnOnce } from "../../../sdk/guard/index.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { validateFields } from "../../forms/index.ts";
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

/** The longest text the relay takes in each field (see `IdentifyEventSchema`). */
const CONTACT_LENGTH: Record<keyof Contact, number> = {
  name: LABEL_LENGTH,
  email: 254,
  phone: 40,
  userId: LABEL_LENGTH,
  userHash: 128,
};
const FIELDS = Object.keys(CONTACT_LENGTH) as (keyof Contact)[];

/** What is wrong with a field's value, if anything; absent or blank is not given, not wrong. */
function contactProblem(field: keyof Contact, value: unknown): string | undefined {
  if (value == null || (typeof value === "string" && !value.trim())) return;
  const max = CONTACT_LENGTH[field];
  if (typeof value !== "string" || value.trim().length > max)
    return `${field} must be a text of up to ${max} characters`;
  if (field === "email" && validateFields({ email: value }, { email: "optional" }).email)
    return "email is not an email address";
}

/** What the visitor told us about themselves on this page (forms start filled with it). */
export const $contact = atom<Contact>({});

/**
 * Tells the agents who the visitor is: the non-blank fields of `contact` (other keys are
 * ignored). A wrong field (not a text, too long, an email that is not one) or no field at all
 * sends nothing, with one console warning saying why. Durable: goes through the outbox.
 * Answers whether it was sent.
 *
 * @example identify({ name: "Ann", email: "ann@example.com" })
 */
export function identify(contact: unknown): boolean {
  if (!contact || typeof contact !== "object") {
    warnOnce("identify takes an object: { name, email, phone, userId, userHash }");
    return false;
  }
  const given = contact as Record<string, unknown>;
  const known: Contact = {};
  for (const field of FIELDS) {
    const problem = contactProblem(field, given[field]);
    if (problem) {
      warnOnce(`identify: ${problem}; nothing was sent`);
      return false;
    }
    const value = given[field];
    if (typeof value === "string" && value.trim()) known[field] = value.trim();
  }
  if (!Object.keys(known).length) {
    warnOnce(`identify: none of ${FIELDS.join(", ")} was given; nothing was sent`);
    return false;
  }
  $contact.set({ ...$contact.get(), ...known });
  return record({ kind: "identify", id: randomId(), at: Date.now(), ...known });
}

/** What one `setCustomData` may carry (see `CustomDataEventSchema`): keys, and their length. */
const CUSTOM_KEYS = 50;
const CUSTOM_KEY_LENGTH = 64;

const isCustomValue = (value: unknown) =>
  value === null ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value)) ||
  (typeof value === "string" && value.length <= LABEL_LENGTH);

/** What is wrong with custom data, if anything: the first problem found. */
function customDataProblem(data: object): string | undefined {
  const entries = Object.entries(data);
  if (!entries.length) return "no keys were given";
  if (entries.length > CUSTOM_KEYS)
    return `at most ${CUSTOM_KEYS} keys are kept, ${entries.length} were given`;
  for (const [key, value] of entries) {
    if (key.length > CUSTOM_KEY_LENGTH)
      return `the key "${key.slice(0, 20)}…" is longer than ${CUSTOM_KEY_LENGTH} characters`;
    if (!isCustomValue(value))
      return `"${key}" must be a text of up to ${LABEL_LENGTH} characters, a finite number, a boolean or null`;
  }
}

/**
 * Attaches key-value data to the visitor for the agents (plan, cart value...), merged with
 * earlier data (null removes a key). Values are strings (up to 256 characters), numbers,
 * booleans or null; at most 50 keys in all. One wrong key or value sends nothing, with one
 * console warning saying which. Durable: goes through the outbox. Answers whether it was sent.
 *
 * @example setCustomData({ plan: "pro", cartValue: 129.5 })
 */
export function setCustomData(data: unknown): boolean {
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    warnOnce("setCustomData takes an object of strings, numbers, booleans or null");
    return false;
  }
  const problem = customDataProblem(data);
  if (problem) {
    warnOnce(`setCustomData: ${problem}; nothing was sent`);
    return false;
  }
  return record({
    kind: "custom-data",
    id: randomId(),
    at: Date.now(),
    // A copy: the page may change its object while the event waits in the outbox.
    data: { ...(data as Record<string, string | number | boolean | null>) },
  });
}
