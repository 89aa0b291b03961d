import { useStore } from "@nanostores/preact";
import { useForm } from "../../hooks/useForm.ts";
import { $contact } from "../../stores/identity/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $prechatFields, submitPrechat } from "../../stores/prechat/index.ts";
import { Field } from "../Field/index.tsx";

/**
 * Before the first message: name, email and phone, each off, optional or required per site;
 * only the required ones still missing once the host page has said who the visitor is.
 */
export function PrechatForm() {
  const fields = useStore($prechatFields);
  const contact = useStore($contact);
  const t = useStore($strings);
  const form = useForm(contact, fields);
  return (
    <form
      class="form"
      noValidate
      aria-label={t.prechatIntro}
      data-testid="prechat-form"
      onSubmit={(event) => form.submit(event, submitPrechat)}
    >
      <p>{t.prechatIntro}</p>
      {(["name", "email", "phone"] as const).map((name) => (
        <Field
          key={name}
          form="prechat"
          name={name}
          rule={fields[name] ?? "off"}
          value={form.values[name] ?? ""}
          error={form.errors[name]}
          onInput={form.set(name)}
          t={t}
        />
      ))}
      <button type="submit" class="primary">
        {t.startChat}
      </button>
    </form>
  );
}
