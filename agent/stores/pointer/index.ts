import { atom } from "nanostores";
import * as v from "valibot";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { isWebUrl } from "../../../protocol/links.ts";
import { type PointerTarget, PointerTargetSchema } from "../../../protocol/pointer.ts";
import type { PointerMessage } from "../../../protocol/pointer-handshake.ts";
import { type RelayApi, relayApi } from "../../api/index.ts";
import { sendMessage } from "../outbox/index.ts";
import { $session, failureMessage } from "../session/index.ts";

/**
 * The pointer, on the console's side: the agent opens the visitor's page in a frame, the
 * loader there says it is ready, the console answers with a pointer token, and the picker
 * posts back the element the agent clicked; the agent comments and sends it as a message.
 *
 * Phases: `token` (asking the relay for a pointer token), `framing` (the page is loading in the
 * frame; its loader has not spoken yet), `silent` (it did not speak within
 * POINTER_ANSWER_MS: the page refuses frames, needs a login, or lacks the snippet), `picking`
 * (the picker was started), `picked` (an element was picked), `failed` (the relay or the
 * picker refused; `problem` says why).
 */
export type PointerPhase = "token" | "framing" | "silent" | "picking" | "picked" | "failed";

export type PointerSession = {
  chatId: string;
  /** The visitor's current page, shown in the frame. */
  url: string;
  phase: PointerPhase;
  /** The element picked, once `picked`. */
  target: PointerTarget | null;
  /** Why it failed, once `failed`. */
  problem: string | null;
};

/** How long the page in the frame has to answer before the agent is told why it may not. */
export const POINTER_ANSWER_MS = 6000;

/** The pointer being used, or null. */
export const $pointer = atom<PointerSession | null>(null);

let token: string | null = null;
let silenceTimer: ReturnType<typeof setTimeout> | undefined;

function update(chatId: string, change: Partial<PointerSession>): void {
  const current = $pointer.get();
  if (current?.chatId === chatId) $pointer.set({ ...current, ...change });
}

/**
 * Opens the pointer on the chat's visitor's current page: asks the relay for a pointer token,
 * then lets the frame load (see {@link receiveFrameMessage}).
 * @example openPointer(chat)
 */
export async function openPointer(chat: ChatSummary, api: RelayApi = relayApi): Promise<void> {
  const session = $session.get();
  const url = chat.page?.url;
  if (!session || !url) return;
  closePointer();
  const chatId = chat.id;
  $pointer.set({ chatId, url, phase: "token", target: null, problem: null });
  if (!isWebUrl(url)) {
    return update(chatId, {
      phase: "failed",
      problem: "Only web pages (http or https) open here.",
    });
  }
  const result = await api.pointerToken(session.token, chatId);
  if ($pointer.get()?.chatId !== chatId) return;
  if (!result.ok) return update(chatId, { phase: "failed", problem: failureMessage(result) });
  token = result.value.token;
  update(chatId, { phase: "framing" });
  silenceTimer = setTimeout(() => {
    if ($pointer.get()?.phase === "framing") update(chatId, { phase: "silent" });
  }, POINTER_ANSWER_MS);
}

/** Closes the pointer, sent or not. */
export function closePointer(): void {
  clearTimeout(silenceTimer);
  token = null;
  $pointer.set(null);
}

/**
 * Takes a message from the pointer frame. The caller has checked that it comes from the frame's
 * window and the page's origin; `reply` posts to the frame at the page's origin. Every
 * `pointer:ready` gets the token (the loader says it again after each navigation in the frame);
 * a picked element is checked like any input before it is shown or sent.
 */
export function receiveFrameMessage(data: unknown, reply: (message: PointerMessage) => void): void {
  const current = $pointer.get();
  const message = data as Partial<PointerMessage> | null;
  if (!current || !token || message?.source !== "parley") return;
  const { chatId } = current;
  if (message.method === "pointer:ready") {
    reply({ source: "parley", method: "pointer:start", token });
    update(chatId, { phase: "picking", target: null });
  } else if (message.method === "pointer:refused") {
    const problem = typeof message.reason === "string" ? message.reason.slice(0, 300) : "";
    update(chatId, { phase: "failed", problem: `The page refused the pointer. ${problem}` });
  } else if (message.method === "pointer:picked") {
    const target = v.safeParse(PointerTargetSchema, message.target);
    if (target.success) update(chatId, { phase: "picked", target: target.output });
  }
}

/**
 * Sends the picked element with the agent's comment to the visitor, and closes the pointer.
 * @example sendPointer("The size chart is here")
 */
export function sendPointer(comment: string): void {
  const current = $pointer.get();
  if (!current?.target || !comment.trim()) return;
  sendMessage(current.chatId, { text: comment.trim(), pointer: current.target });
  closePointer();
}
