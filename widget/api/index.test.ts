import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { $lines, $unread } from "../stores/chat/index.ts";
import { $locale } from "../stores/locale/index.ts";
import { $hiddenByHost, $launcherVisible, $off, $open } from "../stores/ui/index.ts";
import { startTestSession } from "../testing/index.ts";
import { announce, type Command, commands, events, takeOverQueue, wireEvents } from "./index.ts";

const parley =
  (queue: Command[]) =>
  (name: string, ...args: unknown[]) =>
    void queue.push([name, args]);

beforeAll(() => wireEvents());
afterEach(() => {
  vi.restoreAllMocks();
  $open.set(false);
  $off.set(false);
  $hiddenByHost.set(false);
});

describe("window.parley: the queue", () => {
  it("runs what was queued before load in order, then every later call at once", () => {
    const { recorded } = startTestSession();
    const queue: Command[] = [];
    const call = parley(queue);
    call("identify", { name: "Ann", email: "ann@example.com", ignored: 1 });
    call("open");
    expect($open.get()).toBe(false);
    takeOverQueue(queue);
    expect($open.get()).toBe(true);
    expect(recorded).toMatchObject([{ kind: "identify", name: "Ann", email: "ann@example.com" }]);
    expect(queue).toHaveLength(0);
    call("close");
    expect($open.get()).toBe(false);
    expect(queue).toHaveLength(0);
  });

  it("ignores unknown commands with one warning each and runs the rest", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    startTestSession();
    const queue: Command[] = [];
    const call = parley(queue);
    call("api test: nope");
    call("api test: nope");
    call("toString");
    call("open");
    takeOverQueue(queue);
    expect(warn.mock.calls).toEqual([
      ['parley: unknown command "api test: nope" ignored'],
      ['parley: unknown command "toString" ignored'],
    ]);
    expect($open.get()).toBe(true);
  });

  it("never throws into the page, whatever the arguments", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    startTestSession();
    const queue: Command[] = [];
    takeOverQueue(queue);
    const call = parley(queue);
    expect(() => {
      call("identify", null);
      call("setCustomData", "nope");
      call("sendMessage", 42);
      call("on", "nope", () => {});
      call("on", "open", "not a function");
      call("setLocale", { toString: null });
    }).not.toThrow();
  });
});

describe("window.parley: commands", () => {
  it("sends a message as the visitor, shown at once", () => {
    const { recorded } = startTestSession();
    commands.sendMessage?.("I need help with my order");
    expect(recorded).toMatchObject([{ kind: "message", text: "I need help with my order" }]);
    expect($lines.get()).toMatchObject([{ text: "I need help with my order", state: "pending" }]);
  });

  it("records custom data whole, or nothing with one warning naming what is wrong", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { recorded } = startTestSession();
    const keys = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, index]));
    commands.setCustomData?.({ plan: "pro", nested: { no: 1 } });
    commands.setCustomData?.({ plan: "pro", nested: { no: 2 } });
    commands.setCustomData?.(keys(51));
    commands.setCustomData?.({ total: Number.POSITIVE_INFINITY });
    commands.setCustomData?.({ [`k${"e".repeat(64)}`]: 1 });
    commands.setCustomData?.({});
    expect(recorded).toEqual([]);
    expect(warn.mock.calls).toEqual([
      [
        'parley: setCustomData: "nested" must be a text of up to 256 characters, a finite number, a boolean or null; nothing was sent',
      ],
      ["parley: setCustomData: at most 50 keys are kept, 51 were given; nothing was sent"],
      [
        'parley: setCustomData: "total" must be a text of up to 256 characters, a finite number, a boolean or null; nothing was sent',
      ],
      [
        'parley: setCustomData: the key "keeeeeeeeeeeeeeeeeee…" is longer than 64 characters; nothing was sent',
      ],
      ["parley: setCustomData: no keys were given; nothing was sent"],
    ]);
    commands.setCustomData?.({ plan: "pro", cartValue: 129.5, vip: true, coupon: null });
    commands.setCustomData?.(keys(50));
    expect(recorded).toMatchObject([
      { kind: "custom-data", data: { plan: "pro", cartValue: 129.5, vip: true, coupon: null } },
      { kind: "custom-data", data: keys(50) },
    ]);
  });

  it("identifies the visitor with every field given, or with nothing and one warning why", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { recorded } = startTestSession();
    commands.identify?.({});
    commands.identify?.({ name: 12, email: [] });
    commands.identify?.({ name: "Ann", email: "ann@" });
    commands.identify?.({ phone: "5".repeat(41) });
    expect(recorded).toEqual([]);
    expect(warn.mock.calls).toEqual([
      [
        "parley: identify: none of name, email, phone, userId, userHash was given; nothing was sent",
      ],
      ["parley: identify: name must be a text of up to 256 characters; nothing was sent"],
      ["parley: identify: email is not an email address; nothing was sent"],
      ["parley: identify: phone must be a text of up to 40 characters; nothing was sent"],
    ]);
    // Blank or absent fields are only not given.
    commands.identify?.({ name: " Ann ", email: "", phone: null, plan: "pro" });
    expect(recorded).toMatchObject([{ kind: "identify", name: "Ann" }]);
    expect(recorded[0]).not.toHaveProperty("email");
  });

  it("sends no blank message, with one warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { recorded } = startTestSession();
    commands.sendMessage?.("   ");
    commands.sendMessage?.("\n");
    expect(recorded).toEqual([]);
    expect(warn.mock.calls).toEqual([["parley: sendMessage: the text is blank; nothing was sent"]]);
  });

  it("hides and shows the launcher; hidden, the window stays closed until shown", () => {
    startTestSession();
    commands.open?.();
    commands.hide?.();
    expect($launcherVisible.get()).toBe(false);
    expect($open.get()).toBe(false);
    commands.open?.();
    expect($open.get()).toBe(false);
    commands.toggle?.();
    expect($open.get()).toBe(false);
    commands.show?.();
    expect($launcherVisible.get()).toBe(true);
    expect($open.get()).toBe(false);
    commands.toggle?.();
    expect($open.get()).toBe(true);
    commands.toggle?.();
    expect($open.get()).toBe(false);
  });

  it("switches the language", async () => {
    startTestSession();
    commands.setLocale?.("pt-BR");
    await vi.waitFor(() => expect($locale.get()).toBe("pt"));
    commands.setLocale?.("en");
    await vi.waitFor(() => expect($locale.get()).toBe("en"));
  });

  it("opts out: the tracker stops for good and the widget goes away", () => {
    const { optOut } = startTestSession();
    commands.open?.();
    commands.optOut?.();
    expect(optOut.calls).toBe(1);
    expect($open.get()).toBe(false);
    expect($launcherVisible.get()).toBe(false);
    commands.open?.();
    expect($open.get()).toBe(false);
  });
});

describe("window.parley: events", () => {
  it("calls ready listeners, also one added after the widget is ready", () => {
    const early = vi.fn();
    const late = vi.fn();
    commands.on?.("ready", early);
    announce();
    commands.on?.("ready", late);
    expect(early).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it("tells open and close, until the listener is removed", () => {
    startTestSession();
    const seen: string[] = [];
    const onOpen = () => seen.push("open");
    const onClose = () => seen.push("close");
    commands.on?.("open", onOpen);
    commands.on?.("close", onClose);
    commands.open?.();
    commands.close?.();
    commands.off?.("open", onOpen);
    commands.off?.("close", onClose);
    commands.open?.();
    expect(seen).toEqual(["open", "close"]);
  });

  it("tells messages sent and received, the unread count and availability", () => {
    const { receive } = startTestSession();
    const log: unknown[] = [];
    const listeners = {
      "message:sent": (message: unknown) => log.push(["sent", message]),
      "message:received": (message: unknown) => log.push(["received", message]),
      unread: (count: unknown) => log.push(["unread", count]),
      availability: (online: unknown) => log.push(["availability", online]),
    };
    for (const [name, listener] of Object.entries(listeners)) commands.on?.(name, listener);
    receive({ type: "availability", online: true });
    commands.sendMessage?.("Hi");
    receive({
      type: "chat:message",
      message: {
        id: "agent-msg-1",
        chatId: "chat-0001",
        seq: 1,
        at: 5,
        author: { kind: "agent", agentId: "agent-anna", name: "Anna" },
        text: "Hello!",
      },
    });
    for (const [name, listener] of Object.entries(listeners)) commands.off?.(name, listener);
    expect(log).toEqual([
      ["availability", true],
      ["sent", { id: expect.any(String), text: "Hi", at: expect.any(Number) }],
      ["unread", 1],
      [
        "received",
        { id: "agent-msg-1", text: "Hello!", at: 5, agent: { id: "agent-anna", name: "Anna" } },
      ],
    ]);
    expect($unread.get()).toBe(1);
  });

  it("keeps going when a host page listener throws", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    startTestSession();
    const after = vi.fn();
    commands.on?.("open", () => {
      throw new Error("host page bug");
    });
    commands.on?.("open", after);
    expect(() => commands.open?.()).not.toThrow();
    expect(after).toHaveBeenCalled();
    events.emit("close");
  });
});
