import { atom } from "nanostores";

/** The console's pages once signed in; Team and Settings are for admins, Account for everyone. */
export type ConsoleView = "visitors" | "chats" | "offline" | "team" | "settings" | "account";

/** Which page the console shows. */
export const $view = atom<ConsoleView>("visitors");

/** Switches to another page of the console. */
export function showView(view: ConsoleView): void {
  $view.set(view);
}
