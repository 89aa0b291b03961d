import { Fragment, type JSX } from "preact";
import { useState } from "preact/hooks";
import { type BusinessHours, WEEKDAYS } from "../../../protocol/business-hours.ts";
import type { SiteSettingsResponse } from "../../../protocol/http.ts";
import { formatDayRanges, parseDayRanges } from "../../opening-hours/index.ts";
import { DAY_NAMES, hoursFieldLabel } from "../../settings-fields/index.ts";
import { type SiteSettingsState, saveSiteSettings } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** Every zone the browser knows, for the time zone field's suggestions. */
function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

/** This browser's time zone: a sensible first choice when hours are first turned on. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The site's weekly business hours in one time zone: outside them visitors get the offline
 * form (or no widget) even while agents are online. Each day takes ranges such as
 * `09:00-12:00, 13:00-17:00`; an empty day is closed.
 */
export function BusinessHoursForm({
  settings,
  state,
}: {
  settings: SiteSettingsResponse;
  state: SiteSettingsState;
}) {
  const hours = settings.businessHours;
  const [problem, setProblem] = useState<string | null>(null);
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = {} as BusinessHours["days"];
    for (const day of WEEKDAYS) {
      const parsed = parseDayRanges(String(form.get(`hours-${day}`) ?? ""));
      if (!parsed.ok) {
        setProblem(`${DAY_NAMES[day]}: "${parsed.bad}" is not a range such as 09:00-17:00.`);
        return;
      }
      days[day] = parsed.ranges;
    }
    setProblem(null);
    const next: BusinessHours = {
      enabled: form.get("enabled") === "on",
      timeZone: String(form.get("timeZone") ?? "").trim(),
      days,
    };
    void saveSiteSettings({ businessHours: next }, "hours");
  };
  const mine = state.form === "hours";
  return (
    <form class="settings-form" onSubmit={onSubmit} data-testid="hours-form">
      <label class="settings-check">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={hours.enabled}
          data-testid="hours-enabled"
        />
        Use business hours (off: always open)
      </label>

      <label for="hours-time-zone">Time zone</label>
      <input
        id="hours-time-zone"
        name="timeZone"
        list="hours-time-zones"
        required
        defaultValue={hours.enabled ? hours.timeZone : browserTimeZone()}
        data-testid="hours-time-zone"
      />
      <datalist id="hours-time-zones">
        {timeZones().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>

      {WEEKDAYS.map((day) => (
        <Fragment key={day}>
          <label for={`hours-${day}`}>{DAY_NAMES[day]}</label>
          <input
            id={`hours-${day}`}
            name={`hours-${day}`}
            placeholder="Closed"
            defaultValue={formatDayRanges(hours.days[day])}
            data-testid={`hours-${day}`}
          />
        </Fragment>
      ))}

      <SaveOutcome
        state={{ error: problem ?? (mine ? state.error : null), saved: mine && state.saved }}
        testId="hours"
        fieldLabel={hoursFieldLabel}
      />
      <button type="submit" class="primary" disabled={state.saving} data-testid="hours-save">
        {state.saving ? "Saving…" : "Save business hours"}
      </button>
    </form>
  );
}
