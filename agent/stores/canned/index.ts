import { atom } from "nanostores";
import type { CannedResponse } from "../../../protocol/chat.ts";
import { relayApi } from "../../api/index.ts";
import { $session, failureMessage } from "../session/index.ts";

/** The site's canned responses and the editor's state. */
export type CannedState = {
  responses: readonly CannedResponse[];
  loaded: boolean;
  saving: boolean;
  error: string | null;
  saved: boolean;
};

const empty: CannedState = {
  responses: [],
  loaded: false,
  saving: false,
  error: null,
  saved: false,
};

/** The site's canned responses, shared by every agent of the site. */
export const $canned = atom<CannedState>(empty);

/** Loads the site's canned responses. */
export async function loadCanned(): Promise<void> {
  const session = $session.get();
  if (!session) return;
  const result = await relayApi.getCanned(session.token);
  if (result.ok)
    $canned.set({ ...$canned.get(), responses: result.value, loaded: true, error: null });
  else {
    $canned.set({ ...$canned.get(), error: failureMessage(result) });
  }
}

/** Replaces the site's canned responses (admins); true when the relay took them. */
export async function saveCanned(responses: CannedResponse[]): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  $canned.set({ ...$canned.get(), saving: true, error: null, saved: false });
  const result = await relayApi.saveCanned(session.token, responses);
  if (!result.ok) {
    $canned.set({ ...$canned.get(), saving: false, error: failureMessage(result) });
    return false;
  }
  $canned.set({ responses: result.value, loaded: true, saving: false, error: null, saved: true });
  return true;
}

/** Forgets the last session's responses. */
export function resetCanned(): void {
  $canned.set(empty);
}

/** A `/word` being typed at the end of the composer's text. */
const SLASH_AT_END = /(?:^|\s)\/([a-z0-9_-]*)$/i;

/**
 * What follows a `/` typed at the end of the composer's text (at its start or after a space),
 * or null when the composer is not asking for a canned response.
 *
 * @example slashQuery("Hi! /ret") // "ret"
 */
export function slashQuery(text: string): string | null {
  return SLASH_AT_END.exec(text)?.[1]?.toLowerCase() ?? null;
}

/**
 * The canned responses for a `/query`: shortcuts starting with it first, then shortcuts and
 * texts containing it, each group in the site's order.
 *
 * @example cannedMatches(responses, "ret") // [{ shortcut: "returns", ... }, ...]
 */
export function cannedMatches(
  responses: readonly CannedResponse[],
  query: string,
  limit = 8,
): CannedResponse[] {
  const q = query.toLowerCase();
  const starts = responses.filter((r) => r.shortcut.startsWith(q));
  const contains = responses.filter(
    (r) =>
      !r.shortcut.startsWith(q) && (r.shortcut.includes(q) || r.text.toLowerCase().includes(q)),
  );
  return [...starts, ...contains].slice(0, limit);
}

/** The composer's text with the trailing `/query` replaced by the canned response's text. */
export function insertCanned(text: string, response: CannedResponse): string {
  const match = SLASH_AT_END.exec(text);
  if (!match) return text + response.text;
  const slashAt = match.index + match[0].indexOf("/");
  return text.slice(0, slashAt) + response.text;
}
