/**
 * Browser notifications, wrapped once: `Notification` is missing in some browsers and in
 * insecure contexts, throws when constructed on Android Chrome, and may be denied. Every
 * failure falls back to nothing; the in-page toast still shows.
 */
export type DesktopPermission = NotificationPermission | "unsupported";

export type DesktopNotifier = {
  permission(): DesktopPermission;
  /** Asks the browser for permission: call from a click, browsers ignore it otherwise. */
  request(): Promise<DesktopPermission>;
  /** Shows a notification when permitted; false when it could not. */
  show(options: { title: string; body: string; tag: string; onClick: () => void }): boolean;
};

/**
 * A notifier over `api()` (looked up on each call, since tests and old browsers lack it).
 *
 * @example const desktop = createDesktopNotifier(() => globalThis.Notification);
 */
export function createDesktopNotifier(api: () => typeof Notification | undefined): DesktopNotifier {
  const permission = (): DesktopPermission => {
    try {
      return api()?.permission ?? "unsupported";
    } catch {
      return "unsupported";
    }
  };
  return {
    permission,
    async request() {
      try {
        const Api = api();
        if (!Api) return "unsupported";
        return await Api.requestPermission();
      } catch {
        return permission();
      }
    },
    show({ title, body, tag, onClick }) {
      if (permission() !== "granted") return false;
      try {
        const Api = api();
        if (!Api) return false;
        const notification = new Api(title, { body, tag });
        notification.onclick = () => {
          globalThis.focus?.();
          notification.close();
          onClick();
        };
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The browser's notifications, or none. */
export const desktopNotifier = createDesktopNotifier(() => globalThis.Notification);
