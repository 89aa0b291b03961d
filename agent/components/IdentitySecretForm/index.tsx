import { useState } from "preact/hooks";
import type { SiteSettingsResponse } from "../../../protocol/http.ts";
import { rotateIdentitySecret, type SiteSettingsState } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/**
 * The site's identity secret, which the host's server signs user ids with (`parley('identify',
 * {userId, userHash})`), and a new one when it may have leaked: asked twice, since servers
 * still signing with the current one have a day to move before it stops verifying.
 */
export function IdentitySecretForm({
  settings,
  state,
}: {
  settings: SiteSettingsResponse;
  state: SiteSettingsState;
}) {
  const [confirming, setConfirming] = useState(false);
  const mine = state.form === "identity";
  const until = settings.previousIdentitySecretUntil;
  const rotate = async () => {
    if (await rotateIdentitySecret()) setConfirming(false);
  };
  return (
    <div class="settings-form" data-testid="identity-form">
      <label for="identity-secret">Identity secret</label>
      <input
        id="identity-secret"
        class="secret"
        readOnly
        value={settings.identitySecret ?? ""}
        onFocus={(event) => event.currentTarget.select()}
        data-testid="identity-secret"
      />
      {until !== undefined && (
        <p class="muted" data-testid="identity-previous">
          The previous secret still verifies user ids until {new Date(until).toLocaleString()}.
        </p>
      )}
      <SaveOutcome state={{ error: mine ? state.error : null, saved: false }} testId="identity" />
      {confirming ? (
        <>
          <p role="alert" data-testid="identity-confirm">
            Your servers must sign user ids with the new secret within a day: after that, user ids
            signed with the current one are refused.
          </p>
          <button
            type="button"
            class="primary"
            disabled={state.saving}
            onClick={rotate}
            data-testid="identity-rotate-confirm"
          >
            {state.saving && mine ? "Making a new secret…" : "Make a new secret"}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep this one
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} data-testid="identity-rotate">
          New secret…
        </button>
      )}
    </div>
  );
}
