import { atom } from "nanostores";
import { warnOnce } from "../../../sdk/guard/index.ts";
import { en, type Strings } from "../../locales/en.ts";

/** The widget's language: a code of {@link LOCALES}. */
export const $locale = atom("en");
/** The strings of {@link $locale}. */
export const $strings = atom<Strings>(en);

// Each a chunk of its own, downloaded only by visitors who need it.
const loaders: Record<string, () => Promise<{ default: Strings }>> = {
  es: () => import("../../locales/es.ts"),
  pt: () => import("../../locales/pt.ts"),
  ru: () => import("../../locales/ru.ts"),
};

/** The languages the widget speaks. */
export const LOCALES = ["en", ...Object.keys(loaders)];

/** The code of {@link LOCALES} for a language tag, if the widget speaks it. */
const spoken = (tag: unknown) => {
  const code = typeof tag === "string" ? tag.toLowerCase().split(/[-_]/)[0] : undefined;
  return code && LOCALES.includes(code) ? code : undefined;
};

/**
 * The first of `wishes` (language tags like "pt-BR", best first) that the widget speaks, by
 * its primary language; English when none.
 * @example pickLocale(undefined, "pt-BR", "en") // "pt"
 */
export function pickLocale(...wishes: (string | null | undefined)[]): string {
  return wishes.map(spoken).find(Boolean) ?? "en";
}

let wanted = "en";

/**
 * Switches the widget to `lang` (a language tag), loading its strings first; an unknown
 * language is ignored with a warning. Settles once the strings are in use.
 *
 * @example await setLocale("es")
 */
export async function setLocale(lang: unknown): Promise<void> {
  const code = spoken(lang);
  if (!code) return warnOnce(`setLocale takes a language the widget speaks: ${LOCALES.join(", ")}`);
  wanted = code;
  let strings = en;
  try {
    strings = code === "en" ? en : { ...en, ...(await loaders[code]?.())?.default };
  } catch (error) {
    warnOnce(`could not load the "${code}" strings: ${error}`);
  }
  // A later call may have asked for another language meanwhile: the last one wins.
  if (wanted !== code) return;
  $strings.set(strings);
  $locale.set(code);
}
