/**
 * What the loader's facade launcher and the widget's real launcher share, so that the swap
 * from one to the other on load cannot be seen: the launcher's styles, its icon, how a colour
 * picks its text colour, and where the widget remembers the site's look for the next page.
 */

/** The launcher, in the facade and in the widget. `--c` is the site's colour, `--on` its text. */
export const LAUNCHER_CSS =
  ":host{all:initial!important}" +
  ".launcher{all:initial;position:fixed;z-index:2147483000;bottom:20px;right:20px;" +
  "display:grid;place-items:center;width:56px;height:56px;border-radius:28px;cursor:pointer;" +
  "background:var(--c,#2563eb);color:var(--on,#fff);filter:drop-shadow(0 4px 8px #0004);" +
  "font:600 15px system-ui,sans-serif}" +
  ".launcher.left{right:auto;left:20px}" +
  // The label is a pill laid behind the round button, out of its layout: when the site's text
  // arrives after the button is on screen, the button does not move (no layout shift).
  ".label{position:absolute;z-index:-1;top:0;right:0;line-height:56px;padding:0 64px 0 18px;" +
  "border-radius:28px;background:inherit;white-space:nowrap}" +
  ".left .label{right:auto;left:0;padding:0 18px 0 64px}" +
  ".label:empty{display:none}" +
  ".launcher:focus-visible{outline:3px solid #111;outline-offset:3px}" +
  ".launcher svg{width:26px;height:26px}" +
  ".launcher[hidden]{display:none}";

/** The launcher's chat-bubble icon (decorative: the button carries the label). */
export const LAUNCHER_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

/**
 * Black or white, whichever reads better on `color` (`#rrggbb`), by the colour's perceived
 * brightness; a site's colour is whatever its owner chose.
 * @example textOn("#ffd400") // "#000"
 */
export const textOn = (color: string): string => {
  const value = Number.parseInt(color.slice(1), 16);
  const brightness = (value >> 16) * 299 + ((value >> 8) & 255) * 587 + (value & 255) * 114;
  return brightness > 150_000 ? "#000" : "#fff";
};

/** The look of the launcher as the widget last saw it, kept for the next page's facade. */
export type FacadeLook = {
  color?: string;
  position?: "left" | "right";
  /** The launcher's label (empty: icon only). */
  text?: string;
  /**
   * True when the launcher is not to show: tracking refused, or nobody was online on the last
   * page of a site that hides the widget then (the widget shows its launcher once an agent is).
   * No facade either.
   */
  off?: boolean;
};

/**
 * The localStorage key of one of the widget's preferences for `site`; `"facade"` holds the
 * {@link FacadeLook}.
 * @example prefKey("demo", "muted") // "parley:demo:widget:muted"
 */
export const prefKey = (site: string, name: string): string => `parley:${site}:widget:${name}`;

/**
 * Gives a shadow root its stylesheet: a constructable stylesheet, which a strict
 * Content-Security-Policy allows, or where that is unsupported a `<style>` with the snippet's
 * nonce.
 */
export const adoptStyles = (root: ShadowRoot, css: string, nonce?: string): void => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    if (nonce) style.nonce = nonce;
    style.textContent = css;
    root.prepend(style);
  }
};
