import type { JSX } from "preact";
import type { SiteSettingsResponse } from "../../../protocol/http.ts";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import { siteFieldLabel } from "../../settings-fields/index.ts";
import { type SiteSettingsState, saveSiteSettings } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** The origins a textarea lists, one per line (the relay trims and lowercases them). */
function originsOf(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** The site's name (agents see it in the console) and the origins its pages are served from. */
export function SiteForm({
  settings,
  state,
}: {
  settings: SiteSettingsResponse;
  state: SiteSettingsState;
}) {
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void saveSiteSettings(
      {
        name: String(form.get("name") ?? "").trim(),
        allowedOrigins: originsOf(String(form.get("allowedOrigins") ?? "")),
      },
      "site",
    );
  };
  return (
    <form class="settings-form" onSubmit={onSubmit} data-testid="site-form">
      <label for="site-name">Site name</label>
      <input
        id="site-name"
        name="name"
        required
        maxLength={LABEL_LENGTH}
        defaultValue={settings.name}
        data-testid="site-name-field"
      />

      <label for="site-origins">Allowed origins, one per line</label>
      <textarea
        id="site-origins"
        name="allowedOrigins"
        rows={Math.max(3, settings.allowedOrigins.length + 1)}
        placeholder="https://shop.example"
        defaultValue={settings.allowedOrigins.join("\n")}
        data-testid="site-origins"
      />

      {state.form === "site" && (
        <SaveOutcome state={state} testId="site" fieldLabel={siteFieldLabel} />
      )}
      <button type="submit" class="primary" disabled={state.saving} data-testid="site-save">
        {state.saving ? "Saving…" : "Save site"}
      </button>
    </form>
  );
}
