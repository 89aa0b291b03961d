import { afterEach, describe, expect, it } from "vitest";
import { SETTINGS, startTestSession } from "../../testing/index.ts";
import { $contact, identify } from "../identity/index.ts";
import { $prechatDone, restorePrechat, submitPrechat } from "../prechat/index.ts";
import { $online, $settings, applySnippetLook } from "../settings/index.ts";
import {
  $launcherVisible,
  $muted,
  $off,
  $open,
  $panel,
  openChat,
  restoreUi,
  setHiddenByHost,
  setMuted,
} from "./index.ts";

const state = (status: "requested" | "active" | "resolved" | "missed" | null) => ({
  type: "chat:state" as const,
  status,
  agents: [],
  agentReadSeq: 0,
});

afterEach(() => setHiddenByHost(false));

describe("ui store: what the window shows", () => {
  it("shows the offline form when nobody is online and the site asks for it", () => {
    const { receive } = startTestSession();
    expect($panel.get()).toBe("composer");
    receive({ type: "availability", online: false });
    expect($panel.get()).toBe("offline");
    // A chat an agent is in goes on.
    receive(state("active"));
    expect($panel.get()).toBe("composer");
    receive({ type: "availability", online: true });
    receive(state("missed"));
    expect($panel.get()).toBe("offline");
  });

  it("asks the pre-chat questions before the first message, once", () => {
    const prechat = { name: "required", email: "optional", phone: "off" } as const;
    const { recorded, session, visitorId } = startTestSession({
      settings: { ...SETTINGS, prechat },
    });
    expect($panel.get()).toBe("prechat");
    submitPrechat({ name: " Ann ", email: "", phone: "555" });
    expect(recorded).toMatchObject([{ kind: "identify", name: "Ann" }]);
    expect(recorded[0]).not.toHaveProperty("phone");
    expect($panel.get()).toBe("composer");

    // The next page of the same visitor remembers it.
    $prechatDone.set(false);
    $contact.set({});
    startTestSession({ visitorId, prefs: session.prefs, settings: { ...SETTINGS, prechat } });
    expect($panel.get()).toBe("prechat");
    restorePrechat();
    expect($panel.get()).toBe("composer");
  });

  it("skips the pre-chat questions for a visitor who wrote before or whom the page identified", () => {
    const settings = {
      ...SETTINGS,
      prechat: { name: "optional", email: "off", phone: "off" },
    } as const;
    $contact.set({});
    $prechatDone.set(false);
    const { receive } = startTestSession({ settings });
    expect($panel.get()).toBe("prechat");
    receive({
      type: "chat:message",
      message: {
        id: "message-001",
        chatId: "chat-0001",
        seq: 1,
        at: 1,
        author: { kind: "visitor" },
        text: "Hi",
      },
    });
    expect($panel.get()).toBe("composer");

    startTestSession({ settings });
    expect($panel.get()).toBe("prechat");
    identify({ email: "ann@example.com" });
    expect($panel.get()).toBe("composer");

    // Any field will do: the form asks a visitor the page identified only for required ones.
    $contact.set({});
    startTestSession({ settings });
    identify({ phone: "+1 555 0100" });
    expect($panel.get()).toBe("composer");
  });

  it("hides the launcher when nobody is online if the site says so, or the page asks", () => {
    const { receive } = startTestSession({ settings: { ...SETTINGS, whenOffline: "hide" } });
    expect($launcherVisible.get()).toBe(true);
    receive({ type: "availability", online: false });
    expect($launcherVisible.get()).toBe(false);
    receive(state("active"));
    expect($launcherVisible.get()).toBe(true);
    setHiddenByHost(true);
    expect($launcherVisible.get()).toBe(false);
  });
});

describe("ui store: preferences", () => {
  it("remembers the mute switch for the site", () => {
    const { session } = startTestSession();
    setMuted(true);
    $muted.set(false);
    startTestSession({ prefs: session.prefs });
    restoreUi();
    expect($muted.get()).toBe(true);
  });
});

describe("settings store", () => {
  it("uses the snippet's valid look until the relay's settings arrive", () => {
    startTestSession();
    expect($settings.get().color).toBe(SETTINGS.color);
    applySnippetLook({ color: "#123456", position: "left" });
    expect($settings.get().color).toBe(SETTINGS.color);
  });

  it("keeps the relay's look for the next page's facade", () => {
    const { session, receive } = startTestSession({
      settings: { ...SETTINGS, color: "#aa0000", position: "left", launcherText: "Help" },
    });
    restoreUi();
    receive({ type: "availability", online: true });
    expect(session.prefs.get("facade")).toEqual({
      color: "#aa0000",
      position: "left",
      text: "Help",
    });
  });

  it("on a site that hides the widget, keeps the launcher hidden from the next page's start while nobody is online", () => {
    const settings = { ...SETTINGS, whenOffline: "hide" } as const;
    const first = startTestSession({ settings });
    restoreUi();
    first.receive({ type: "availability", online: false });
    // No facade on the next page, and no launcher before the relay says anyone is online.
    expect(first.session.prefs.get("facade")).toEqual({ off: true });
    const next = startTestSession({
      visitorId: first.visitorId,
      prefs: first.session.prefs,
      settings,
    });
    $online.set(undefined);
    restoreUi();
    expect($launcherVisible.get()).toBe(false);
    next.receive({ type: "availability", online: true });
    expect($launcherVisible.get()).toBe(true);
    expect(first.session.prefs.get("facade")).toMatchObject({ color: SETTINGS.color });
    // A page that starts after that shows its launcher at once.
    startTestSession({ visitorId: first.visitorId, prefs: first.session.prefs, settings });
    $online.set(undefined);
    restoreUi();
    expect($launcherVisible.get()).toBe(true);
  });
});

describe("ui store: a site the relay refuses", () => {
  afterEach(() => $off.set(false));

  it("turns the widget off, on this page and the next, when the site is unknown or deleted, or the origin not allowed", () => {
    for (const code of ["unknown_site", "origin_not_allowed"] as const) {
      $off.set(false);
      const { receive, session } = startTestSession();
      openChat();
      receive({ type: "error", code: "rate_limited", message: "Slow down" });
      expect([$open.get(), $launcherVisible.get()]).toEqual([true, true]);
      receive({ type: "error", code, message: 'The site "demo" was deleted' });
      expect([$open.get(), $launcherVisible.get()]).toEqual([false, false]);
      openChat();
      expect($open.get()).toBe(false);
      expect(session.prefs.get("facade")).toEqual({ off: true });
    }
  });
});
