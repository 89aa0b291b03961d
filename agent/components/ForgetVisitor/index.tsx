import { useState } from "preact/hooks";
import type { RosterEntry } from "../../../protocol/agent.ts";
import { forgetVisitor } from "../../stores/visitor-forget/index.ts";

/**
 * Admins delete a visitor's data, for one who asks to be forgotten: their trail, chat with its
 * files, and offline messages. Asked twice, since it cannot be undone.
 */
export function ForgetVisitor({ visitor }: { visitor: RosterEntry }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setPending(true);
    setError(await forgetVisitor(visitor.id));
    setPending(false);
  };
  return (
    <section class="forget-visitor" data-testid="forget-visitor">
      {confirming ? (
        <fieldset class="confirm-row">
          <legend data-testid="forget-visitor-question">
            Delete everything stored of {visitor.name}: their visits and pages, their chat and its
            files, their offline messages? This cannot be undone.
          </legend>
          <button
            type="button"
            class="danger"
            disabled={pending}
            onClick={confirm}
            data-testid="forget-visitor-confirm"
          >
            {pending ? "Deleting…" : "Delete for good"}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          data-testid="forget-visitor-start"
        >
          Delete this visitor's data…
        </button>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="forget-visitor-error">
          {error}
        </p>
      )}
    </section>
  );
}
