import { atom, computed } from "nanostores";
import { type FieldValues, filledFields } from "../../forms/index.ts";
import { $lines } from "../chat/index.ts";
import { $contact, identify } from "../identity/index.ts";
import { prefs } from "../session/index.ts";
import { $settings } from "../settings/index.ts";

/** The visitor has filled in the pre-chat form (remembered across page loads). */
export const $prechatDone = atom(false);

/**
 * The pre-chat form comes before the first message, when the site asks for any field, unless
 * the visitor filled it in before, or the host page told us who they are (`identify`).
 */
export const $prechatNeeded = computed(
  [$settings, $prechatDone, $contact, $lines],
  (settings, done, contact, lines) =>
    Object.values(settings.prechat).some((rule) => rule !== "off") &&
    !done &&
    !contact.name &&
    !contact.email &&
    !lines.some((line) => line.author.kind === "visitor"),
);

/** Reads whether the form was filled in on an earlier page. */
export function restorePrechat(): void {
  $prechatDone.set(prefs().get<boolean>("prechat") === true);
}

/** Sends the pre-chat form (values already checked): the visitor's identity, then the chat. */
export function submitPrechat(values: FieldValues): void {
  const { name, email, phone } = filledFields(values, $settings.get().prechat);
  identify({ name, email, phone });
  $prechatDone.set(true);
  prefs().set("prechat", true);
}
