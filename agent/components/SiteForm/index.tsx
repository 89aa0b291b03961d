import type { JSX } from "preact";
import type { SiteSettingsResponse } from "../../../protocol/http.ts";
import { LABEL_LENGTH, RETENTION_DAYS } from "../../../protocol/limits.ts";
import { siteFieldLabel } from "../../settings-fields/index.ts";
import { type SiteSettingsState, saveSiteSettings } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** The origins a textarea lists, one per line (the relay trims and lowercases them). */
function originsOf(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/**
 * The site's name (agents see it in the console), the origins its pages are served from, and
 * how long visitors' data is kept after their last visit.
 */
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
        retentionDays: Number(form.get("retentionDays") ?? 0),
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

      <label for="site-retention">Keep visitors' data for (days)</label>
      <input
        id="site-retention"
        name="retentionDays"
        type="number"
        required
        min={0}
        max={RETENTION_DAYS}
        step={1}
        defaultValue={String(settings.retentionDays)}
        aria-describedby="site-retention-hint"
        data-testid="site-retention"
      />
      <p id="site-retention-hint">
        Counted from a visitor's last visit; 0 keeps it for good. Their trail, chat, files and
        offline messages are deleted together.
      </p>

      {state.form === "site" && (
        <SaveOutcome state={state} testId="site" fieldLabel={siteFieldLabel} />
      )}
      <button type="submit" class="primary" disabled={state.saving} data-testid="site-save">
        {state.saving ? "Saving…" : "Save site"}
      </button>
    </form>
  );
}
