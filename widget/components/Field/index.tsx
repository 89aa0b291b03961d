import type { FieldRule } from "../../../protocol/chat.ts";
import { LABEL_LENGTH, MESSAGE_LENGTH } from "../../../protocol/limits.ts";
import type { FieldError, FieldName } from "../../forms/index.ts";
import type { Strings } from "../../locales/en.ts";

/** How each field is typed in: input type, browser autofill, and the relay's length limit. */
const INPUTS: Record<FieldName, { type: string; autoComplete: string; maxLength: number }> = {
  name: { type: "text", autoComplete: "name", maxLength: LABEL_LENGTH },
  email: { type: "email", autoComplete: "email", maxLength: 254 },
  phone: { type: "tel", autoComplete: "tel", maxLength: 40 },
  message: { type: "textarea", autoComplete: "off", maxLength: MESSAGE_LENGTH },
};

type FieldProps = {
  /** The form's name: with the field's, the input's id, unique in the widget. */
  form: string;
  name: FieldName;
  rule: FieldRule;
  value: string;
  error?: FieldError;
  t: Strings;
  onInput(value: string): void;
};

/** A labelled form field (none when off); its error is tied to it for screen readers. */
export function Field({ form, name, rule, value, error, t, onInput }: FieldProps) {
  if (rule === "off") return null;
  const id = `${form}-${name}`;
  const { type, ...input } = INPUTS[name];
  const props = {
    id,
    name: id,
    value,
    required: rule === "required",
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
    ...input,
  };
  return (
    <div class="field">
      <label for={id}>
        {t[name]}
        {rule === "optional" && <span class="hint"> ({t.optional})</span>}
      </label>
      {type === "textarea" ? <textarea rows={2} {...props} /> : <input type={type} {...props} />}
      {error && (
        <span class="error" id={`${id}-error`}>
          {error === "email" ? t.badEmail : t.required}
        </span>
      )}
    </div>
  );
}
