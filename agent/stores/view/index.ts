import { atom } from "nanostores";

/** The console's pages once signed in. */
export type ConsoleView = "visitors" | "team";

/** Which page the console shows. */
export const $view = atom<ConsoleView>("visitors");

/** Switches to another page of the console. */
export function showView(view: ConsoleView): void {
  $view.set(view);
}
