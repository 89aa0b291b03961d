import { h, render } from "preact";
import { adoptStyles, LAUNCHER_CSS } from "../loader/facade/index.ts";
import { warnOnce } from "../sdk/guard/index.ts";
import type { Tracker } from "../sdk/tracker/index.ts";
import { announce, type Command, takeOverQueue, wireEvents } from "./api/index.ts";
import { Widget } from "./components/Widget/index.tsx";
import { chime } from "./sound/index.ts";
import {
  chatEvents,
  followReadsInOtherTabs,
  receiveChat,
  restorePending,
} from "./stores/chat/index.ts";
import { followInvitations, receiveInvitation } from "./stores/invitation/index.ts";
import { pickLocale, setLocale } from "./stores/locale/index.ts";
import { receiveOffline, restoreOffline } from "./stores/offline/index.ts";
import { restorePrechat } from "./stores/prechat/index.ts";
import { type Session, startSession } from "./stores/session/index.ts";
import { applySnippetLook, receiveSettings } from "./stores/settings/index.ts";
import { $muted, receiveRefusal, restoreUi, turnOff } from "./stores/ui/index.ts";
import css from "./styles/widget.css?inline";

/** What loader.js hands over (see loader/index.ts). */
export type MountConfig = {
  /** The tracker sdk.js started; undefined if it could not start. */
  tracker: Tracker | undefined;
  /** The snippet's `data-site`. */
  site: string;
  /** loader.js's URL, on the relay: uploads go there. */
  base: string;
  /** The `window.parley` calls made so far; the widget takes over the queue. */
  queue: Command[];
  /** The shadow root of the facade launcher, which the widget replaces. */
  root: ShadowRoot;
  /** The snippet's nonce, for a `<style>` where constructable stylesheets are unsupported. */
  nonce?: string;
  /** The snippet's `data-lang`, `data-color`, `data-position`. */
  lang?: string;
  color?: string;
  position?: string;
};

/** A channel that goes nowhere: the widget is off once the visitor opted out. */
const nowhere: Session["channel"] = {
  visitorId: undefined,
  secret: undefined,
  record() {},
  send: () => false,
};

let mounted = false;

/**
 * Resolves in a task of its own. Mounting awaits the tracker, whose last step (reading the time
 * zone, some 30 ms in Chromium) ends the same task; the widget's render and styles go in tasks
 * apart, so that none of them grows into a long task of the host page.
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve));

/**
 * Mounts the chat widget in the facade's shadow root: connects it to the tracker's channel,
 * runs the queued `window.parley` commands and takes over the queue, then replaces the facade
 * with the real launcher and emits `ready`. Once per page; never throws into the page.
 */
export async function mount(config: MountConfig): Promise<void> {
  if (mounted) return;
  mounted = true;
  try {
    const { tracker, root } = config;
    applySnippetLook(config);
    const locale = setLocale(pickLocale(config.lang, navigator.language));
    await tracker?.ready;
    await nextTask();
    const channel = tracker?.channel;
    const tracking = !!channel?.visitorId;
    startSession({
      site: config.site,
      relay: config.base,
      channel: tracking && channel ? channel : nowhere,
      optOut: () => tracker?.optOut(),
    });
    restoreUi();
    restorePrechat();
    const pending = channel?.pending() ?? [];
    restorePending(pending);
    restoreOffline(pending);
    chatEvents.on("received", () => {
      if (!$muted.get() && document.visibilityState === "visible") chime();
    });
    // The page's listeners first (queued `on`), then what the relay said meanwhile.
    wireEvents();
    followInvitations();
    takeOverQueue(config.queue);
    if (channel && tracking) {
      channel.on((frame) => {
        receiveRefusal(frame);
        receiveSettings(frame);
        receiveChat(frame);
        receiveOffline(frame);
        receiveInvitation(frame);
      });
      followReadsInOtherTabs();
    } else turnOff();
    await locale;
    await nextTask();

    const container = document.createElement("div");
    render(h(Widget, null), container);
    await nextTask();
    // A keyboard user on the facade stays on the launcher that replaces it.
    const focused = root.activeElement !== null;
    root.replaceChildren(container);
    adoptStyles(root, LAUNCHER_CSS + css, config.nonce);
    if (focused) container.querySelector<HTMLElement>(".launcher")?.focus();
    announce();
  } catch (error) {
    warnOnce(String(error));
  }
}
