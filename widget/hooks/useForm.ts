import { useState } from "preact/hooks";
import type { FieldRule } from "../../protocol/chat.ts";
import {
  type FieldError,
  type FieldName,
  type FieldValues,
  validateFields,
} from "../forms/index.ts";

/**
 * A form's values and errors. `submit` checks the values against `rules`; when they pass it
 * calls `send` with them, else it shows the errors and focuses the first wrong field.
 */
export function useForm(initial: FieldValues, rules: Partial<Record<FieldName, FieldRule>>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<FieldName, FieldError>>>({});
  return {
    values,
    errors,
    set: (name: FieldName) => (value: string) => setValues({ ...values, [name]: value }),
    submit: (event: Event, send: (values: FieldValues) => void) => {
      event.preventDefault();
      const found = validateFields(values, rules);
      setErrors(found);
      const first = Object.keys(rules).find((name) => found[name as FieldName]);
      if (!first) return send(values);
      (event.currentTarget as HTMLFormElement)
        .querySelector<HTMLElement>(`[name$="${first}"]`)
        ?.focus();
    },
  };
}
