/**
 * Every limit the relay enforces, in one place, so the README, the relay and the clients agree.
 * Changing a number here changes the public contract: update the README table too.
 * Each is its own export, so a bundle carries only the limits it uses.
 */

/** Largest WebSocket frame the relay accepts, in bytes (UTF-8). */
export const FRAME_BYTES = 64 * 1024;
/** Largest HTTP body the relay reads, in bytes. */
export const BODY_BYTES = 16 * 1024;
/** Most days a site may keep a visitor's data after their last visit (`retentionDays`). */
export const RETENTION_DAYS = 3650;
/** Tracking events in one `track` frame. */
export const EVENTS_PER_FRAME = 50;
/** Frames a connection may send per second on average... */
export const FRAMES_PER_SECOND = 20;
/** ...with bursts up to this many. */
export const FRAME_BURST = 40;
/** Rejected frames within one minute before the socket is closed with 1008. */
export const STRIKES_BEFORE_CLOSE = 10;
/** Characters in a URL or referrer. */
export const URL_LENGTH = 2048;
/** Characters in a page title. */
export const TITLE_LENGTH = 512;
/** Characters in a short label: UTM values, search keywords, names. */
export const LABEL_LENGTH = 256;
/** Page views kept per visitor and returned in a trail (oldest are dropped first). */
export const TRAIL_PAGE_VIEWS = 1000;
/**
 * Visits kept per visitor and returned in a trail (oldest are dropped first, with their page
 * views): as many as page views, since a visit normally has at least one.
 */
export const TRAIL_VISITS = 1000;
/** Invitations a visitor room remembers (the oldest are forgotten first). */
export const INVITATIONS_KEPT = 100;
/**
 * Ids of the latest identify, custom-data and offline-form events a visitor room remembers, so
 * that one sent again is stored once; an older one sent again is applied again.
 */
export const PROFILE_EVENTS_KEPT = 100;
/** The latest time JavaScript can hold (ms since the epoch): later `at` values are refused. */
export const TIMESTAMP_MAX = 8.64e15;
/**
 * How far ahead of the relay's clock a trail event's `at` may be, in ms: a day covers a clock
 * set in the wrong time zone, and bounds how long a skewed page view can stay the current one.
 */
export const CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;
/** A duration a visitor reports (engaged time on one page view), at most, in ms. */
export const DURATION_MAX_MS = 24 * 60 * 60 * 1000;
/** A visit's `number`, at most. */
export const VISIT_NUMBER_MAX = 1_000_000;
/** A screen's width or height, at most, in CSS pixels. */
export const SCREEN_SIZE_MAX = 100_000;
/** Characters in a chat message or an offline message. */
export const MESSAGE_LENGTH = 5000;
/** Characters of a visitor's typing preview sent to agents (the rest is cut). */
export const TYPING_PREVIEW_LENGTH = 500;
/** Bytes in one uploaded file. */
export const UPLOAD_BYTES = 10 * 1024 * 1024;
/** Messages sent to a client when it opens a conversation (the latest ones). */
export const HISTORY_MESSAGES = 100;

/** Invitation rules a site may have. */
export const MAX_INVITATION_RULES = 20;
/** Characters in an invitation's message. */
export const INVITATION_TEXT_LENGTH = 500;
/** Characters in a rule's URL pattern (wildcard or regular expression). */
export const URL_PATTERN_LENGTH = 200;
/** Days a dismissed invitation keeps rules quiet for, at most. */
export const MAX_DISMISS_DAYS = 365;
/** Characters in a pointer's CSS selector. */
export const POINTER_SELECTOR_LENGTH = 1024;
/** Characters of an element's text kept in a pointer's fingerprint. */
export const POINTER_TEXT_LENGTH = 200;
/** How long a pointer token works, in ms: long enough to pick an element and comment. */
export const POINTER_TOKEN_MS = 5 * 60 * 1000;

// Visitor presence timings, shared by the SDK and the relay.

/** A visit ends after this long without activity; the next page view starts a new visit. */
export const VISIT_TIMEOUT_MS = 30 * 60 * 1000;
/** A visitor without activity for this long is idle (and the SDK stops counting engaged time). */
export const IDLE_AFTER_MS = 60 * 1000;
/** A visitor whose last tab closed this long ago is gone. */
export const GONE_AFTER_MS = 30 * 1000;
/** The SDK reports engaged time at least this often while the visitor is engaged. */
export const HEARTBEAT_MS = 15 * 1000;
