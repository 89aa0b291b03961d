import type { FieldRule } from "../../protocol/chat.ts";

/** The fields of the pre-chat and offline forms. */
export type FieldName = "name" | "email" | "phone" | "message";
export type FieldValues = Partial<Record<FieldName, string>>;
/** What is wrong with a field: left empty though required, or not an email address. */
export type FieldError = "required" | "email";

// Close to what the relay accepts; the relay has the last word (and says so in its ack).
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * Checks form values against each field's rule (`off` fields are ignored); answers the errors
 * by field, empty when the form may be sent. Values are trimmed first.
 *
 * @example
 * validateFields({ email: "ann@" }, { email: "required" }) // { email: "email" }
 */
export function validateFields(
  values: FieldValues,
  rules: Partial<Record<FieldName, FieldRule>>,
): Partial<Record<FieldName, FieldError>> {
  const errors: Partial<Record<FieldName, FieldError>> = {};
  for (const [name, rule] of Object.entries(rules) as [FieldName, FieldRule][]) {
    const value = values[name]?.trim() ?? "";
    if (rule === "off") continue;
    if (!value) {
      if (rule === "required") errors[name] = "required";
    } else if (name === "email" && (value.length > 254 || !EMAIL.test(value))) {
      errors[name] = "email";
    }
  }
  return errors;
}

/** The non-empty values of the fields that are not off, trimmed. */
export function filledFields(
  values: FieldValues,
  rules: Partial<Record<FieldName, FieldRule>>,
): FieldValues {
  const filled: FieldValues = {};
  for (const [name, rule] of Object.entries(rules) as [FieldName, FieldRule][]) {
    const value = values[name]?.trim();
    if (rule !== "off" && value) filled[name] = value;
  }
  return filled;
}
