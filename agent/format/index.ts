import type { Device, Geo, VisitorStatus } from "../../protocol/agent.ts";
import type { OfflineMessageStatus } from "../../protocol/chat.ts";
import type { Channel, Source } from "../../protocol/source.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const twoDigits = (n: number): string => String(n).padStart(2, "0");

/**
 * A duration as a support tool shows it: seconds under a minute, minutes and seconds under an
 * hour, then hours and minutes. Rounds down, so a ticking value never runs ahead.
 *
 * @example formatDuration(185_000) // "3m 05s"
 */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < MINUTE) return `${Math.floor(safe / SECOND)}s`;
  if (safe < HOUR) {
    return `${Math.floor(safe / MINUTE)}m ${twoDigits(Math.floor((safe % MINUTE) / SECOND))}s`;
  }
  return `${Math.floor(safe / HOUR)}h ${twoDigits(Math.floor((safe % HOUR) / MINUTE))}m`;
}

/** Every channel, in the order the filter offers them, with its label. */
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  direct: "Direct",
  search: "Search",
  social: "Social",
  email: "Email",
  referral: "Referral",
  paid: "Paid",
  campaign: "Campaign",
};

const CLICK_ID_LABELS = { gclid: "Google Ads", fbclid: "Facebook Ads" } as const;

/** "newsletter / email · fall" from UTM parameters, or null when the visit carries none. */
function utmLabel(utm: Source["utm"]): string | null {
  if (!utm) return null;
  const origin = [utm.source, utm.medium].filter(Boolean).join(" / ");
  const label = [origin, utm.campaign].filter(Boolean).join(" · ");
  return label || null;
}

/**
 * How a visit reached the site, in a few words. UTM parameters win because the site owner
 * chose them; otherwise the referrer's classification speaks.
 *
 * @example sourceLabel({ channel: "search", engine: "Google", keyword: "red shoes" })
 *   // "Google search: red shoes"
 */
export function sourceLabel(source: Source | null): string {
  if (!source) return "Unknown";
  const tagged = utmLabel(source.utm);
  if (tagged) return tagged;
  const where = source.engine ?? source.referrer;
  switch (source.channel) {
    case "direct":
      return "Direct";
    case "search": {
      const engine = `${where ?? "Unknown"} search`;
      return source.keyword ? `${engine}: ${source.keyword}` : engine;
    }
    case "paid":
      if (source.clickId) return CLICK_ID_LABELS[source.clickId.kind];
      return where ? `Paid: ${where}` : "Paid";
    case "social":
    case "email":
    case "referral":
    case "campaign": {
      const channel = CHANNEL_LABELS[source.channel];
      return where ? `${channel}: ${where}` : channel;
    }
  }
}

/** "Chrome · macOS · desktop", skipping parts the relay could not tell. */
export function deviceLabel(device: Device): string {
  return [device.browser, device.os, device.type].filter(Boolean).join(" · ") || "Unknown device";
}

/** "Lyon, Auvergne-Rhône-Alpes, FR", or "Unknown location". */
export function placeLabel(geo: Geo): string {
  return [geo.city, geo.region, geo.country].filter(Boolean).join(", ") || "Unknown location";
}

/** Status badge text. */
export const STATUS_LABELS: Readonly<Record<VisitorStatus, string>> = {
  online: "Online",
  idle: "Idle",
  gone: "Gone",
};

/** An offline message's status, as the console names it. */
export const OFFLINE_STATUS_LABELS: Readonly<Record<OfflineMessageStatus, string>> = {
  unread: "Unread",
  read: "Read",
  done: "Done",
};

/**
 * The URL when it is safe to open as a link (http or https), else null: a visitor controls
 * the URLs in their trail, so `javascript:` and friends must stay text.
 */
export function httpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * A `mailto:` link to `email`, its "@" left readable; whatever the address holds stays inside
 * the link's path, so the link can only open a mail client.
 *
 * @example mailtoHref("ann@example.com") // "mailto:ann@example.com"
 */
export const mailtoHref = (email: string): string =>
  `mailto:${encodeURIComponent(email).replace("%40", "@")}`;

/**
 * A `tel:` link to a phone number a visitor typed, or null when it is not one: the relay takes
 * any short text as a phone, so only a number (digits, an optional leading +, and the spaces,
 * dots, dashes and brackets people write between them) becomes a link.
 *
 * @example telHref("+1 (555) 010-9999") // "tel:+15550109999"
 */
export function telHref(phone: string): string | null {
  const number = phone.replace(/[\s().-]/g, "");
  return /^\+?\d{3,}$/.test(number) ? `tel:${number}` : null;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "14:03:22" in the agent's locale and time zone. */
export const formatTime = (at: number): string => timeOfDay.format(at);

/** "Tue 4 Nov, 14:03" in the agent's locale and time zone. */
export const formatDayTime = (at: number): string => dayAndTime.format(at);

/** "12 KB", "3.4 MB": a file's size as a chat shows it. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const hourMinute = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/**
 * When a chat last moved, as a list shows it: the time of day for today, else the date.
 *
 * @example formatListTime(at, Date.now()) // "14:03", or "4 Nov" before today
 */
export function formatListTime(at: number, now: number): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return sameDay ? hourMinute.format(at) : dayMonth.format(at);
}

/** A clock face at UTC: what `localTime` shifts by the visitor's offset. */
const hourMinuteAtUtc = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/**
 * The time of day on the visitor's device, `utcOffset` minutes east of UTC, in the agent's
 * locale, with the offset.
 *
 * @example localTime(Date.UTC(2025, 10, 4, 13, 5), 60) // "14:05 (UTC+1)"
 * @example localTime(at, -210) // "… (UTC−3:30)"
 */
export function localTime(now: number, utcOffset: number): string {
  const hours = Math.floor(Math.abs(utcOffset) / 60);
  const minutes = Math.abs(utcOffset) % 60;
  const sign = utcOffset < 0 ? "−" : "+";
  const offset =
    utcOffset === 0
      ? ""
      : `${sign}${hours}${minutes ? `:${String(minutes).padStart(2, "0")}` : ""}`;
  return `${hourMinuteAtUtc.format(now + utcOffset * 60_000)} (UTC${offset})`;
}
