import { atom, computed } from "nanostores";
import { prefKey } from "../../../loader/facade/index.ts";
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

/**
 * The launcher shows unless the host hid it, the widget is off, or nobody is online and the
 * site hides the widget then (a visitor in an active chat keeps it).
 */
export const $launcherVisible = computed(
  [$hiddenByHost, $off, $settings, $online, $status],
  (hidden, off, settings, online, status) =>
    !hidden &&
    !off &&
    !(settings.whenOffline === "hide" && online === false && status !== "active"),
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

/** Opens the chat window (not when the widget is off). */
export function openChat(): void {
  if (!$off.get()) $open.set(true);
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

/** Mutes or unmutes the new-message sound, for this site's later pages too. */
export function setMuted(muted: boolean): void {
  $muted.set(muted);
  prefs().set("muted", muted);
}

/**
 * Reads the remembered preferences of the interface, and reopens the window when it was open on
 * this tab's previous page (kept in sessionStorage: other tabs do not open with it).
 */
export function restoreUi(): void {
  $muted.set(prefs().get<boolean>("muted") === true);
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
