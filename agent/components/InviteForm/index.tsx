import { useStore } from "@nanostores/preact";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { INVITATION_TEXT_LENGTH } from "../../../protocol/limits.ts";
import { $manualInvitation, inviteVisitor } from "../../stores/invitations/index.ts";

/** Invites the selected visitor to chat: the text appears on the visitor's open pages at once. */
export function InviteForm({ visitorId }: { visitorId: string }) {
  const [text, setText] = useState("");
  const sent = useStore($manualInvitation);
  const mine = sent?.visitorId === visitorId ? sent : null;
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const invitation = text.trim();
    if (!invitation) return;
    inviteVisitor(visitorId, invitation);
    setText("");
  };
  return (
    <form class="invite-form" onSubmit={onSubmit} data-testid="invite-form">
      <label for="invite-text">Invite to chat</label>
      <textarea
        id="invite-text"
        rows={2}
        required
        maxLength={INVITATION_TEXT_LENGTH}
        placeholder="Hi! Can I help you find anything?"
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        data-testid="invite-text"
      />
      <button
        type="submit"
        class="primary"
        disabled={mine?.state === "sending"}
        data-testid="invite-send"
      >
        Send invitation
      </button>
      {mine?.state === "sent" && (
        <p class="form-success" role="status" data-testid="invite-sent">
          Sent to the visitor's open pages.
        </p>
      )}
      {mine?.state === "failed" && (
        <p class="form-error" role="alert" data-testid="invite-error">
          {mine.error}
        </p>
      )}
    </form>
  );
}
