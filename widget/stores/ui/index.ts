import { atom, computed } from "nanostores";
import { type FacadeLook, prefKey } from "../../../loader/facade/index.ts";
import type { VisitorServerFrame } from "../../../protocol/visitor.ts";
import { $status } from "../chat/index.ts";
import { $prechatNeeded } from "../prechat/index.ts";
import { $session, prefs } from "../session/index.ts";
import { $online, $settings } from "../settings/index.ts";

/** The chat window is open. */
export const $open = atom(false);
/**
 * The window is open because it was when the visitor left this tab's previous page: it shows
 * again without taking focus from the page. False again once it closes.
 */
export const $reopened = atom(false);
/** The host page hid the widget (`parley("hide")`). */
export const $hiddenByHost = atom(false);
/** The widget cannot chat here: the visitor opted out (`parley("optOut")`). */
export const $off = atom(false);
/** Sounds are muted (remembered). */
export const $muted = atom(false);

/** The site hid the launcher on the visitor's last page (kept in the facade's look). */
const $hiddenOnLastPage = atom(false);

/**
 * The site hides the widget: nobody is online and its settings say so (a visitor in an active
 * chat keeps it). Until the relay has said whether anyone is online, as on the visitor's last
 * page, so that on such a site the launcher does not flash up on every page load.
 */
const $hiddenBySite = computed(
  [$settings, $online, $status, $hiddenOnLastPage],
  (settings, online, status, before) =>
    online === undefined
      ? before
      : settings.whenOffline === "hide" && !online && status !== "active",
);

/** The launcher shows unless the host hid it, the widget is off, or the site hides it. */
export const $launcherVisible = computed(
  [$hiddenByHost, $off, $hiddenBySite],
  (hidden, off, bySite) => !hidden && !off && !bySite,
);

/**
 * How the next page's facade is to draw the launcher: the site's look, and none at all while
 * the site hides it. Known once the relay has said whether anyone is online.
 */
const $facadeLook = computed(
  [$settings, $online, $hiddenBySite],
  (settings, online, hidden): FacadeLook | undefined =>
    online === undefined
      ? undefined
      : hidden
        ? { off: true }
        : { color: settings.color, position: settings.position, text: settings.launcherText },
);

/**
 * What the window shows under the conversation: the offline form (a missed chat, or nobody
 * online and the site asks for one), the pre-chat form, or the composer.
 */
export const $panel = computed(
  [$settings, $online, $status, $prechatNeeded],
  (settings, online, status, prechat): "offline" | "prechat" | "composer" =>
    status === "missed" ||
    (online === false && settings.whenOffline === "form" && status !== "active")
      ? "offline"
      : prechat
        ? "prechat"
        : "composer",
);

/**
 * Opens the chat window, unless the widget is off or the host page hid it: hidden means the
 * window too, until `show` (which brings back the launcher, not the window).
 */
export function openChat(): void {
  if (!$off.get() && !$hiddenByHost.get()) $open.set(true);
}

/** Closes the chat window. */
export function closeChat(): void {
  $open.set(false);
}

/** Opens the chat window if closed, closes it if open. */
export function toggleChat(): void {
  $open.get() ? closeChat() : openChat();
}

/** Shows or hides the whole widget, as the host page asks; hiding closes the window too. */
export function setHiddenByHost(hidden: boolean): void {
  $hiddenByHost.set(hidden);
  if (hidden) closeChat();
}

/** Turns the widget off for this page (tracking refused): nothing shows. */
export function turnOff(): void {
  closeChat();
  $off.set(true);
  prefs().set("facade", { off: true });
}

/**
 * The relay refused the page's site (no such site, or a deleted one; or not from this origin):
 * the tracker has stopped, nothing the visitor wrote could be sent, so the widget turns off.
 */
export function receiveRefusal(frame: VisitorServerFrame): void {
  if (
    frame.type === "error" &&
    (frame.code === "unknown_site" || frame.code === "origin_not_allowed")
  )
    turnOff();
}

/** Mutes or unmutes the new-message sound, for this site's later pages too. */
export function setMuted(muted: boolean): void {
  $muted.set(muted);
  prefs().set("muted", muted);
}

/**
 * Reads the remembered preferences of the interface, and reopens the window when it was open on
 * this tab's previous page (kept in sessionStorage: other tabs do not open with it). From then
 * on keeps the launcher's look for the next page's facade.
 */
export function restoreUi(): void {
  $muted.set(prefs().get<boolean>("muted") === true);
  $hiddenOnLastPage.set(prefs().get<FacadeLook>("facade")?.off === true);
  $facadeLook.listen((look) => look && prefs().set("facade", look));
  const key = prefKey($session.get()?.site ?? "", "open");
  try {
    if (sessionStorage.getItem(key) === "1" && !$off.get()) {
      $reopened.set(true);
      $open.set(true);
    }
  } catch {
    // Blocked storage: every page starts closed.
  }
  $open.listen((open) => {
    if (!open) $reopened.set(false);
    try {
      if (open) sessionStorage.setItem(key, "1");
      else sessionStorage.removeItem(key);
    } catch {
      // Blocked storage: nothing to remember it in.
    }
  });
}
