import { atom } from "nanostores";
import { type KeyValueStore, localStore } from "../../storage/index.ts";

/** Unsent composer text per chat id; an empty draft is no draft. */
export const $drafts = atom<Readonly<Record<string, string>>>({});

let storage: KeyValueStore = localStore;
let storageKey: string | null = null;

/** Keeps the composer's text for a chat, in memory and in the agent's local storage. */
export function setDraft(chatId: string, text: string): void {
  const drafts = { ...$drafts.get() };
  if (text) drafts[chatId] = text;
  else delete drafts[chatId];
  $drafts.set(drafts);
  if (storageKey === null) return;
  if (Object.keys(drafts).length > 0) storage.set(storageKey, JSON.stringify(drafts));
  else storage.remove(storageKey);
}

/** The draft of a chat, or "". */
export const draftOf = (drafts: Readonly<Record<string, string>>, chatId: string): string =>
  drafts[chatId] ?? "";

/** Loads the agent's drafts from an earlier page. */
export function loadDrafts(agentId: string, store: KeyValueStore = localStore): void {
  storage = store;
  storageKey = `parley.agent.drafts.${agentId}`;
  const drafts: Record<string, string> = {};
  try {
    const saved = JSON.parse(storage.get(storageKey) ?? "{}") as unknown;
    if (saved && typeof saved === "object") {
      for (const [chatId, text] of Object.entries(saved)) {
        if (typeof text === "string" && text) drafts[chatId] = text;
      }
    }
  } catch {
    // A corrupt entry is as good as none.
  }
  $drafts.set(drafts);
}

/** Forgets the drafts in memory (they stay stored for the agent's next sign-in). */
export function resetDrafts(): void {
  storageKey = null;
  $drafts.set({});
}
