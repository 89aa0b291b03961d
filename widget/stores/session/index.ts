import { atom } from "nanostores";
import type { TrackingEvent, VisitorClientFrame } from "../../../protocol/visitor.ts";
import type { VisitorChannel } from "../../../sdk/tracker/index.ts";
import { createPrefs, type Prefs } from "../../prefs/index.ts";

/** What the widget talks through: the tracker's channel, the relay, the site's preferences. */
export type Session = {
  site: string;
  /** Any URL on the relay (loader.js's): uploads and files are resolved against it. */
  relay: string;
  channel: Pick<VisitorChannel, "visitorId" | "secret" | "record" | "send">;
  prefs: Prefs;
  /** Stops tracking for good (the tracker's opt-out). */
  optOut(): void;
};

/** The current session; null until the widget has mounted, and in tests until they start one. */
export const $session = atom<Session | null>(null);

/**
 * Starts the widget's session for `site`. `prefs` default to the site's localStorage.
 * @example startSession({ site: "demo", relay: "https://relay.test/loader.js", channel, optOut })
 */
export function startSession(session: Omit<Session, "prefs"> & { prefs?: Prefs }): Session {
  const started = { ...session, prefs: session.prefs ?? createPrefs(session.site) };
  $session.set(started);
  return started;
}

/** Keeps `event` in the durable outbox until the relay acks it; false without a session. */
export function record(event: TrackingEvent): boolean {
  const session = $session.get();
  session?.channel.record(event);
  return !!session;
}

/** Sends `frame` now if connected (best effort). */
export function send(frame: VisitorClientFrame): void {
  $session.get()?.channel.send(frame);
}

/** The site's preferences; a throwaway in-memory set before the session starts. */
export const prefs = (): Prefs => $session.get()?.prefs ?? createPrefs("");
