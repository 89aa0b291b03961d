import { atom } from "nanostores";
import type { SiteSettingsBody, SiteSettingsResponse } from "../../../protocol/http.ts";
import { type ApiResult, relayApi } from "../../api/index.ts";
import { $session, failureMessage } from "../session/index.ts";

/** The Settings page's forms that save site settings, each showing its own outcome. */
export type SettingsForm = "site" | "widget" | "hours" | "rules" | "identity";

/**
 * The Settings page's state: the site's settings once loaded, and the last save's outcome
 * (`form`: which form saved).
 */
export type SiteSettingsState = {
  settings: SiteSettingsResponse | null;
  saving: boolean;
  error: string | null;
  saved: boolean;
  form: SettingsForm | null;
};

const empty: SiteSettingsState = {
  settings: null,
  saving: false,
  error: null,
  saved: false,
  form: null,
};

/** The site's routing and widget settings (admins edit them). */
export const $siteSettings = atom<SiteSettingsState>(empty);

/** Loads the site's settings. */
export async function loadSiteSettings(): Promise<void> {
  const session = $session.get();
  if (!session) return;
  const result = await relayApi.getSite(session.token);
  if (result.ok) $siteSettings.set({ ...$siteSettings.get(), settings: result.value, error: null });
  else {
    $siteSettings.set({ ...$siteSettings.get(), error: failureMessage(result) });
  }
}

/**
 * Sends one of the page's changes (admins) and records its outcome for `form`; true when the
 * relay took it.
 */
async function change(
  form: SettingsForm,
  send: (token: string) => Promise<ApiResult<SiteSettingsResponse>>,
): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  $siteSettings.set({ ...$siteSettings.get(), saving: true, error: null, saved: false, form });
  const result = await send(session.token);
  if (!result.ok) {
    $siteSettings.set({ ...$siteSettings.get(), saving: false, error: failureMessage(result) });
    return false;
  }
  $siteSettings.set({ settings: result.value, saving: false, error: null, saved: true, form });
  return true;
}

/** Saves settings from one of the page's forms (admins); true when the relay took them. */
export function saveSiteSettings(body: SiteSettingsBody, form: SettingsForm): Promise<boolean> {
  return change(form, (token) => relayApi.updateSite(token, body));
}

/** Replaces the site's identity secret (admins); true when the relay made a new one. */
export function rotateIdentitySecret(): Promise<boolean> {
  return change("identity", (token) => relayApi.rotateIdentitySecret(token));
}

/** Forgets the last session's settings. */
export function resetSiteSettings(): void {
  $siteSettings.set(empty);
}
