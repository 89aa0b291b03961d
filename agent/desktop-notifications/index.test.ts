import { describe, expect, it } from "vitest";
import { createDesktopNotifier } from "./index.ts";

describe("createDesktopNotifier", () => {
  it("shows a notification once granted, and a click opens what it is about", () => {
    const made: { title: string; options: NotificationOptions; onclick?: () => void }[] = [];
    const Api = function Notification(this: object, title: string, options: NotificationOptions) {
      made.push(Object.assign(this, { title, options, close: () => {} }));
    } as unknown as typeof Notification;
    Object.assign(Api, { permission: "granted" });
    let opened = 0;
    const notifier = createDesktopNotifier(() => Api);
    expect(
      notifier.show({ title: "New chat", body: "Hi", tag: "c", onClick: () => opened++ }),
    ).toBe(true);
    expect(made[0]).toMatchObject({ title: "New chat", options: { body: "Hi", tag: "c" } });
    made[0]?.onclick?.();
    expect(opened).toBe(1);

    Object.assign(Api, { permission: "denied" });
    expect(notifier.show({ title: "t", body: "b", tag: "x", onClick: () => {} })).toBe(false);
    expect(made).toHaveLength(1);
  });

  it("falls back to nothing where notifications are missing or refused", async () => {
    const missing = createDesktopNotifier(() => undefined);
    expect(missing.permission()).toBe("unsupported");
    expect(await missing.request()).toBe("unsupported");
    expect(missing.show({ title: "t", body: "b", tag: "x", onClick: () => {} })).toBe(false);

    const throwing = createDesktopNotifier(() => {
      const Api = function Notification() {
        throw new TypeError("Illegal constructor");
      } as unknown as typeof Notification;
      Object.assign(Api, { permission: "granted" });
      return Api;
    });
    expect(throwing.show({ title: "t", body: "b", tag: "x", onClick: () => {} })).toBe(false);
  });
});
