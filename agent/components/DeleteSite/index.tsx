import { useState } from "preact/hooks";
import { deleteSite } from "../../stores/site-deletion/index.ts";
import { FormField } from "../FormField/index.tsx";

/**
 * Admins delete the site: its agents' accounts, its settings, and every visitor's data (trails,
 * chats and their files, offline messages). It cannot be undone, so the admin types the site's
 * id to confirm.
 */
export function DeleteSite({ siteId }: { siteId: string }) {
  const [typed, setTyped] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setPending(true);
    setError(await deleteSite(typed));
    setPending(false);
  };
  return (
    <form class="delete-site" onSubmit={onSubmit} data-testid="delete-site">
      <p class="muted">
        Deletes the site for good: every agent's account (everyone is signed out at once), the
        settings, and every visitor's data: their visits and pages, chats and their files, offline
        messages. The widget stops on every page that has the snippet, and the id{" "}
        <code>{siteId}</code> cannot be used for a new site. This cannot be undone.
      </p>
      <FormField
        id="delete-site-confirm"
        label={`Type ${siteId} to confirm`}
        name="confirm"
        value={typed}
        autoComplete="off"
        onInput={(event) => setTyped(event.currentTarget.value)}
        data-testid="delete-site-confirm"
      />
      <button
        type="submit"
        class="danger"
        disabled={pending || typed !== siteId}
        data-testid="delete-site-submit"
      >
        {pending ? "Deleting…" : "Delete this site"}
      </button>
      {error && (
        <p class="form-error" role="alert" data-testid="delete-site-error">
          {error}
        </p>
      )}
    </form>
  );
}
