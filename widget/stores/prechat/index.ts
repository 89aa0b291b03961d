import { atom, computed } from "nanostores";
import type { FieldRule, WidgetSettings } from "../../../protocol/chat.ts";
import { type FieldValues, filledFields } from "../../forms/index.ts";
import { $lines } from "../chat/index.ts";
import { $contact, identify } from "../identity/index.ts";
import { prefs } from "../session/index.ts";
import { $settings } from "../settings/index.ts";

/** The pre-chat form's fields, each with the site's rule for it. */
export type PrechatFields = Partial<WidgetSettings["prechat"]>;

/** The visitor has filled in the pre-chat form (remembered across page loads). */
export const $prechatDone = atom(false);

/**
 * What the pre-chat form asks before the first message: every field the site asks for; of a
 * visitor the host page identified (`identify`), only the required fields it did not give.
 * Nothing once the visitor filled the form in or has written before.
 */
export const $prechatFields = computed(
  [$settings, $prechatDone, $contact, $lines],
  (settings, done, contact, lines) => {
    const fields: PrechatFields = {};
    if (done || lines.some((line) => line.author.kind === "visitor")) return fields;
    const identified = Object.keys(contact).length > 0;
    const rules = Object.entries(settings.prechat) as [keyof PrechatFields, FieldRule][];
    for (const [name, rule] of rules)
      if (rule === "required" ? !contact[name] : rule === "optional" && !identified)
        fields[name] = rule;
    return fields;
  },
);

/** The pre-chat form comes before the first message while it has anything to ask. */
export const $prechatNeeded = computed($prechatFields, (fields) => Object.keys(fields).length > 0);

/** Reads whether the form was filled in on an earlier page. */
export function restorePrechat(): void {
  $prechatDone.set(prefs().get<boolean>("prechat") === true);
}

/** Sends the pre-chat form (values already checked): the visitor's identity, then the chat. */
export function submitPrechat(values: FieldValues): void {
  const filled = filledFields(values, $prechatFields.get());
  // All optional and left empty: nobody to tell about.
  if (Object.keys(filled).length) identify(filled);
  $prechatDone.set(true);
  prefs().set("prechat", true);
}
