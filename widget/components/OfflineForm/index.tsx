import { useStore } from "@nanostores/preact";
import { useForm } from "../../hooks/useForm.ts";
import { $status } from "../../stores/chat/index.ts";
import { $contact } from "../../stores/identity/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $offlineMessage, sendOfflineMessage } from "../../stores/offline/index.ts";
import { Field } from "../Field/index.tsx";

const RULES = {
  name: "required",
  email: "required",
  phone: "optional",
  message: "required",
} as const;

/**
 * When nobody can answer (nobody online, or a missed chat): name, email, phone (optional) and a
 * message, delivered through the outbox; "sent" shows only once the relay has stored it.
 */
export function OfflineForm() {
  const status = useStore($status);
  const contact = useStore($contact);
  const submission = useStore($offlineMessage);
  const t = useStore($strings);
  const form = useForm(contact, RULES);
  if (submission?.state === "sent")
    return (
      <p class="notice" role="status" data-testid="offline-sent">
        {t.offlineSent}
      </p>
    );
  const intro = status === "missed" ? t.missedIntro : t.offlineIntro;
  return (
    <form
      class="form"
      noValidate
      aria-label={intro}
      data-testid="offline-form"
      onSubmit={(event) =>
        form.submit(event, (values) =>
          sendOfflineMessage({
            name: values.name?.trim() ?? "",
            email: values.email?.trim() ?? "",
            phone: values.phone?.trim() || undefined,
            text: values.message?.trim() ?? "",
          }),
        )
      }
    >
      <p>{intro}</p>
      {submission?.state === "failed" && (
        <p class="alert" role="alert">
          {t.offlineFailed}
        </p>
      )}
      {(["name", "email", "phone", "message"] as const).map((name) => (
        <Field
          key={name}
          form="offline"
          name={name}
          rule={RULES[name]}
          value={form.values[name] ?? ""}
          error={form.errors[name]}
          onInput={form.set(name)}
          t={t}
        />
      ))}
      <button type="submit" class="primary" disabled={submission?.state === "sending"}>
        {submission?.state === "sending" ? `${t.sending}…` : t.sendOffline}
      </button>
    </form>
  );
}
