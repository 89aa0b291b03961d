import type { JSX } from "preact";
import type { FieldRule, WidgetSettings } from "../../../protocol/chat.ts";
import type { SiteSettingsResponse } from "../../../protocol/http.ts";
import { LABEL_LENGTH } from "../../../protocol/limits.ts";
import { type SiteSettingsState, saveSiteSettings } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

const RULES: readonly (readonly [FieldRule, string])[] = [
  ["off", "Off"],
  ["optional", "Optional"],
  ["required", "Required"],
];
const PRECHAT_FIELDS = [
  ["name", "Name"],
  ["email", "Email"],
  ["phone", "Phone"],
] as const;

/**
 * Options with the current one selected: a select has no `defaultValue`, and a `value` would
 * snap back on every render while the form is being edited.
 */
function options(choices: readonly (readonly [string, string])[], current: string) {
  return choices.map(([value, label]) => (
    <option key={value} value={value} selected={value === current}>
      {label}
    </option>
  ));
}

/** Picks the option the form reports, falling back to the first when it is not one of them. */
function pick<T extends string>(
  options: readonly [T, ...T[]],
  value: FormDataEntryValue | null,
): T {
  return options.find((option) => option === value) ?? options[0];
}

/** Routing, the widget's look and words, its pre-chat form and what it does when nobody is online. */
export function WidgetSettingsForm({
  settings,
  state,
}: {
  settings: SiteSettingsResponse;
  state: SiteSettingsState;
}) {
  const widget = settings.widget;
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const rules = ["off", "optional", "required"] as const;
    const changed: WidgetSettings = {
      color: String(form.get("color") ?? widget.color),
      position: pick(["right", "left"] as const, form.get("position")),
      launcherText: String(form.get("launcherText") ?? ""),
      greeting: String(form.get("greeting") ?? ""),
      prechat: {
        name: pick(rules, form.get("prechat-name")),
        email: pick(rules, form.get("prechat-email")),
        phone: pick(rules, form.get("prechat-phone")),
      },
      whenOffline: pick(["form", "hide"] as const, form.get("whenOffline")),
    };
    void saveSiteSettings(
      { routing: pick(["manual", "auto"] as const, form.get("routing")), widget: changed },
      "widget",
    );
  };
  return (
    <form class="settings-form" onSubmit={onSubmit} data-testid="settings-form">
      <label for="settings-routing">Routing</label>
      <select id="settings-routing" name="routing" data-testid="settings-routing">
        {options(
          [
            ["manual", "Manual: the first agent to accept or reply takes the chat"],
            ["auto", "Automatic: round-robin among online agents"],
          ],
          settings.routing,
        )}
      </select>

      <label for="settings-color">Colour</label>
      <input
        id="settings-color"
        name="color"
        type="color"
        defaultValue={widget.color}
        data-testid="settings-color"
      />

      <label for="settings-position">Position</label>
      <select id="settings-position" name="position" data-testid="settings-position">
        {options(
          [
            ["right", "Bottom right"],
            ["left", "Bottom left"],
          ],
          widget.position,
        )}
      </select>

      <label for="settings-launcher-text">Launcher text</label>
      <input
        id="settings-launcher-text"
        name="launcherText"
        maxLength={40}
        placeholder="Empty: icon only"
        defaultValue={widget.launcherText}
        data-testid="settings-launcher-text"
      />

      <label for="settings-greeting">Greeting</label>
      <input
        id="settings-greeting"
        name="greeting"
        maxLength={LABEL_LENGTH}
        defaultValue={widget.greeting}
        data-testid="settings-greeting"
      />

      <span class="settings-group-label">Pre-chat form</span>
      <div class="prechat-fields">
        {PRECHAT_FIELDS.map(([field, label]) => (
          <label key={field} class="filter">
            {label}
            <select name={`prechat-${field}`} data-testid={`settings-prechat-${field}`}>
              {options(RULES, widget.prechat[field])}
            </select>
          </label>
        ))}
      </div>

      <label for="settings-when-offline">When nobody is online</label>
      <select id="settings-when-offline" name="whenOffline" data-testid="settings-when-offline">
        {options(
          [
            ["form", "Show the offline form"],
            ["hide", "Hide the widget"],
          ],
          widget.whenOffline,
        )}
      </select>

      {state.form === "widget" && <SaveOutcome state={state} testId="settings" />}
      <button type="submit" class="primary" disabled={state.saving} data-testid="settings-save">
        {state.saving ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
