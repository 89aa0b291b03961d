import { atom } from "nanostores";
import type { ChatSummary, NotifyFrame } from "../../../protocol/chat.ts";
import {
  type DesktopNotifier,
  type DesktopPermission,
  desktopNotifier,
} from "../../desktop-notifications/index.ts";
import { newId } from "../../ids/index.ts";
import { type Beeper, beeper } from "../../sound/index.ts";
import { acceptChat, declineOffer, ignoreRequest, joinChat } from "../chats/index.ts";
import { showConversation } from "../conversation/index.ts";
import { sendMessage } from "../outbox/index.ts";

/** What a notification does: a toast (sticky until acted on, or fading), and a sound. */
export type NotificationPolicy = { sticky: boolean; sound: boolean };

/**
 * Which kinds notify, and whether their toast stays until someone acts (requests: any agent
 * may take them). Jumper Assist's table: a new request for the group is a message without
 * sound; a chat assigned or reassigned to me, a transfer or invitation offered to me, a
 * message with sound; anything else (a chat unassigned from me) nothing. The relay applies
 * the table in `sound` (and rings for a request escalated to another round, which is no
 * longer new), so the console follows its flag.
 */
const STICKY: Readonly<Record<NotifyFrame["kind"], boolean>> = {
  request: true,
  assigned: false,
  reassigned: false,
  transfer: false,
  invite: false,
};

/** How to notify about `frame`, or null for nothing. */
export function notificationPolicy(
  frame: Pick<NotifyFrame, "kind" | "sound">,
): NotificationPolicy | null {
  if (!Object.hasOwn(STICKY, frame.kind)) return null;
  return { sticky: STICKY[frame.kind], sound: frame.sound };
}

/** An in-page notification, top right. */
export type Toast = Omit<NotifyFrame, "type" | "sound"> & { id: string; sticky: boolean };

/** Non-sticky toasts fade after this long. */
export const TOAST_MS = 8_000;

/** The toasts on screen, oldest first. */
export const $toasts = atom<readonly Toast[]>([]);

/** Whether the browser may show notifications (the header offers to ask while "default"). */
export const $desktopPermission = atom<DesktopPermission>(desktopNotifier.permission());

/** The browser side of notifying, injectable for tests. */
export type Alerts = { desktop: DesktopNotifier; beeper: Beeper; pageInView: () => boolean };

const browserAlerts: Alerts = {
  desktop: desktopNotifier,
  beeper,
  pageInView: () => document.visibilityState === "visible" && document.hasFocus(),
};

const TITLES: Record<NotifyFrame["kind"], string> = {
  request: "New chat request",
  assigned: "Chat assigned to you",
  reassigned: "Chat reassigned to you",
  transfer: "Chat transfer offered to you",
  invite: "Invitation to a chat",
};

/** The toast's heading. */
export const toastTitle = (toast: Pick<Toast, "kind">): string => TITLES[toast.kind];

/** Takes a `notify` frame: a toast, a browser notification when the page is out of view, a beep. */
export function receiveNotify(frame: NotifyFrame, alerts: Alerts = browserAlerts): void {
  const policy = notificationPolicy(frame);
  if (!policy) return;
  const toast: Toast = {
    id: newId(),
    kind: frame.kind,
    chatId: frame.chatId,
    visitorName: frame.visitorName,
    url: frame.url,
    text: frame.text,
    sticky: policy.sticky,
  };
  // One toast per chat: a new round of the same request replaces the old one.
  $toasts.set([...$toasts.get().filter((shown) => shown.chatId !== frame.chatId), toast]);
  if (!policy.sticky) setTimeout(() => dismissToast(toast.id), TOAST_MS);
  if (!alerts.pageInView()) {
    alerts.desktop.show({
      title: `${toastTitle(toast)}: ${frame.visitorName}`,
      body: [frame.text, frame.url].filter(Boolean).join("\n"),
      tag: `parley-${frame.chatId}`,
      onClick: () => showConversation(frame.chatId),
    });
  }
  if (policy.sound) alerts.beeper.beep();
}

/** Takes a toast away. */
export function dismissToast(id: string): void {
  $toasts.set($toasts.get().filter((toast) => toast.id !== id));
}

/** Drops request toasts whose chat an agent took (or that became missed): nothing to act on. */
export function settleRequestToasts(chats: ReadonlyMap<string, ChatSummary>): void {
  const toasts = $toasts.get();
  const waiting = toasts.filter(
    (toast) =>
      toast.kind !== "request" || (chats.get(toast.chatId)?.status ?? "requested") === "requested",
  );
  if (waiting.length !== toasts.length) $toasts.set(waiting);
}

/**
 * Accept on a toast: takes the request, confirms a chat assigned to me (which stops its
 * escalation), or joins the chat offered to me; and opens it.
 */
export function acceptFromToast(toast: Toast): void {
  if (toast.kind === "transfer" || toast.kind === "invite") joinChat(toast.chatId);
  else acceptChat(toast.chatId);
  dismissToast(toast.id);
  showConversation(toast.chatId, "active");
}

/** Quick reply on a request toast: answers without leaving the page (replying takes the chat). */
export function quickReply(toast: Toast, text: string): void {
  const trimmed = text.trim();
  if (!trimmed) return;
  sendMessage(toast.chatId, { text: trimmed });
  dismissToast(toast.id);
}

/** Ignore on a request or assignment toast: passes it on (escalation counts it). */
export function ignoreFromToast(toast: Toast): void {
  ignoreRequest(toast.chatId);
  dismissToast(toast.id);
}

/** Decline on a transfer or invitation toast. */
export function declineFromToast(toast: Toast): void {
  declineOffer(toast.chatId);
  dismissToast(toast.id);
}

/** Asks the browser for notification permission (from the header's button), and unlocks sound. */
export async function enableDesktopNotifications(alerts: Alerts = browserAlerts): Promise<void> {
  alerts.beeper.unlock();
  $desktopPermission.set(await alerts.desktop.request());
}

/** Forgets the last session's toasts. */
export function resetToasts(): void {
  $toasts.set([]);
}
