import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NotifyFrame } from "../../../protocol/chat.ts";
import type { DesktopNotifier } from "../../desktop-notifications/index.ts";
import type { Beeper } from "../../sound/index.ts";
import { applyChatsFrame, resetChats } from "../chats/index.ts";
import { chatSummary, signInAsMe } from "../chats/testing.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import { $openChatId, resetConversations } from "../conversation/index.ts";
import { resetOutbox } from "../outbox/index.ts";
import { $session } from "../session/index.ts";
import { $view } from "../view/index.ts";
import {
  $toasts,
  type Alerts,
  acceptFromToast,
  ignoreFromToast,
  notificationPolicy,
  quickReply,
  receiveNotify,
  resetToasts,
  settleRequestToasts,
  TOAST_MS,
} from "./index.ts";

const notify = (kind: NotifyFrame["kind"], sound: boolean, chatId = "chat-0001"): NotifyFrame => ({
  type: "notify",
  kind,
  chatId,
  visitorName: "Visitor 7",
  url: "https://shop.example/cart",
  text: "Is shipping free?",
  sound,
});

/** Alerts that record what they were asked to do. */
function recordingAlerts(inView: boolean) {
  const shown: string[] = [];
  let beeps = 0;
  const desktop: DesktopNotifier = {
    permission: () => "granted",
    request: async () => "granted",
    show: ({ title }) => {
      shown.push(title);
      return true;
    },
  };
  const beeper: Beeper = { unlock: () => {}, beep: () => Boolean(++beeps) };
  const alerts: Alerts = { desktop, beeper, pageInView: () => inView };
  return { alerts, shown, beeps: () => beeps };
}

beforeEach(() => {
  vi.useFakeTimers();
  signInAsMe();
});
afterEach(() => {
  vi.useRealTimers();
  resetToasts();
  resetChats();
  resetConversations();
  resetOutbox();
  disconnect();
  $session.set(null);
});

describe("notificationPolicy (Jumper Assist)", () => {
  it("gives a new request a message that stays, without sound", () => {
    expect(notificationPolicy({ kind: "request", sound: false })).toEqual({
      sticky: true,
      sound: false,
    });
    // Escalated to another round, the relay rings: the request is no longer new.
    expect(notificationPolicy({ kind: "request", sound: true })?.sound).toBe(true);
  });

  it("rings for chats assigned, reassigned, transferred or offered to me, and fades", () => {
    for (const kind of ["assigned", "reassigned", "transfer", "invite"] as const) {
      expect(notificationPolicy({ kind, sound: true })).toEqual({ sticky: false, sound: true });
    }
  });

  it("does nothing for kinds it does not know (unassigned)", () => {
    const unassigned = { kind: "unassigned", sound: true } as unknown as NotifyFrame;
    expect(notificationPolicy(unassigned)).toBeNull();
  });
});

describe("receiveNotify", () => {
  it("keeps a request toast up and beeps for an assignment, which fades", () => {
    const { alerts, beeps } = recordingAlerts(true);
    receiveNotify(notify("request", false, "chat-req"), alerts);
    receiveNotify(notify("assigned", true, "chat-mine"), alerts);
    expect($toasts.get().map((toast) => [toast.kind, toast.sticky])).toEqual([
      ["request", true],
      ["assigned", false],
    ]);
    expect(beeps()).toBe(1);
    vi.advanceTimersByTime(TOAST_MS);
    expect($toasts.get().map((toast) => toast.kind)).toEqual(["request"]);
  });

  it("shows a browser notification only while the page is out of view", () => {
    const inView = recordingAlerts(true);
    receiveNotify(notify("request", false), inView.alerts);
    expect(inView.shown).toEqual([]);
    const away = recordingAlerts(false);
    receiveNotify(notify("request", false), away.alerts);
    expect(away.shown).toEqual(["New chat request: Visitor 7"]);
  });

  it("shows one toast per chat: a new round replaces the old", () => {
    const { alerts } = recordingAlerts(true);
    receiveNotify(notify("request", false), alerts);
    receiveNotify(notify("request", false), alerts);
    expect($toasts.get()).toHaveLength(1);
  });

  it("drops a request toast once someone takes the chat", () => {
    const { alerts } = recordingAlerts(true);
    receiveNotify(notify("request", false, "chat-a"), alerts);
    receiveNotify(notify("request", false, "chat-b"), alerts);
    settleRequestToasts(
      new Map([
        ["chat-a", chatSummary("chat-a", { status: "active", assigneeId: "agent-ben-0001" })],
        ["chat-b", chatSummary("chat-b")],
      ]),
    );
    expect($toasts.get().map((toast) => toast.chatId)).toEqual(["chat-b"]);
  });
});

describe("toast actions", () => {
  it("accepts and opens the chat, quick-replies, or ignores the round on show", () => {
    const socket = connectFakeSocket();
    applyChatsFrame({
      type: "chats",
      full: true,
      chats: ["chat-a", "chat-b", "chat-c"].map((id) => chatSummary(id, { round: 2 })),
    });
    const { alerts } = recordingAlerts(true);
    for (const chatId of ["chat-a", "chat-b", "chat-c"]) {
      receiveNotify(notify("request", false, chatId), alerts);
    }
    const [a, b, c] = $toasts.get();
    if (!a || !b || !c) throw new Error("three toasts expected");
    acceptFromToast(a);
    quickReply(b, "  On my way!  ");
    ignoreFromToast(c);
    expect($toasts.get()).toEqual([]);
    expect($view.get()).toBe("chats");
    expect($openChatId.get()).toBe("chat-a");
    const frames = socket.frames();
    expect(frames).toContainEqual({ type: "chat:accept", chatId: "chat-a" });
    expect(frames).toContainEqual(
      expect.objectContaining({ type: "chat:send", chatId: "chat-b", text: "On my way!" }),
    );
    expect(frames).toContainEqual({ type: "chat:ignore", chatId: "chat-c", round: 2 });
  });
});
