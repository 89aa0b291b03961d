import { afterEach, describe, expect, it } from "vitest";
import { SETTINGS, startTestSession } from "../../testing/index.ts";
import { $contact, identify } from "../identity/index.ts";
import { $prechatDone, restorePrechat, submitPrechat } from "../prechat/index.ts";
import { $settings, applySnippetLook } from "../settings/index.ts";
import { $launcherVisible, $muted, $panel, restoreUi, setHiddenByHost, setMuted } from "./index.ts";

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
    const { session } = startTestSession({
      settings: { ...SETTINGS, color: "#aa0000", position: "left", launcherText: "Help" },
    });
    expect(session.prefs.get("facade")).toEqual({
      color: "#aa0000",
      position: "left",
      text: "Help",
    });
  });
});
