/**
 * Every limit the relay enforces, in one place, so the README, the relay and the clients agree.
 * Changing a number here changes the public contract: update the README table too.
 */
export const LIMITS = {
  /** Largest WebSocket frame the relay accepts, in bytes (UTF-8). */
  frameBytes: 64 * 1024,
  /** Largest HTTP body the relay reads, in bytes. */
  bodyBytes: 16 * 1024,
  /** Tracking events in one `track` frame. */
  eventsPerFrame: 50,
  /** Frames a connection may send per second on average... */
  framesPerSecond: 20,
  /** ...with bursts up to this many. */
  frameBurst: 40,
  /** Rejected frames within one minute before the socket is closed with 1008. */
  strikesBeforeClose: 10,
  /** Characters in a URL or referrer. */
  urlLength: 2048,
  /** Characters in a page title. */
  titleLength: 512,
  /** Characters in a short label: UTM values, search keywords, names. */
  labelLength: 256,
  /** Page views kept per visitor and returned in a trail (oldest are dropped first). */
  trailPageViews: 1000,
  /** Characters in a chat message or an offline message. */
  messageLength: 5000,
  /** Characters of a visitor's typing preview sent to agents (the rest is cut). */
  typingPreviewLength: 500,
  /** Bytes in one uploaded file. */
  uploadBytes: 10 * 1024 * 1024,
  /** Messages sent to a client when it opens a conversation (the latest ones). */
  historyMessages: 100,
} as const;

/** Visitor presence timings, shared by the SDK and the relay. */
export const PRESENCE = {
  /** A visit ends after this long without activity; the next page view starts a new visit. */
  visitTimeoutMs: 30 * 60 * 1000,
  /** A visitor without activity for this long is idle (and the SDK stops counting engaged time). */
  idleAfterMs: 60 * 1000,
  /** A visitor whose last tab closed this long ago is gone. */
  goneAfterMs: 30 * 1000,
  /** The SDK reports engaged time at least this often while the visitor is engaged. */
  heartbeatMs: 15 * 1000,
} as const;
