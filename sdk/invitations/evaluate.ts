/**
 * Invitation rules, decided in the browser: whether a rule's conditions hold for what the SDK
 * knows of the visitor (pure, so that tests give the facts), and whether its limits let it show.
 */
import type {
  InvitationConditions,
  UrlCondition,
  VisitorInvitationRule,
} from "../../protocol/invitations.ts";
import { classifySource } from "../../protocol/source.ts";

export type DeviceType = "desktop" | "tablet" | "mobile";

/** What rules are decided on: the SDK's visit, page view, engagement and source, and the page. */
export type VisitorFacts = {
  url: string;
  secondsOnPage: number;
  /** Engaged seconds on the site this visit. */
  engagedSeconds: number;
  pagesViewed: number;
  visitNumber: number;
  /** Furthest scrolled on this page, in percent of its height. */
  scrollDepth: number;
  exitIntent: boolean;
  utm: { source?: string; medium?: string; campaign?: string };
  /** The visit's referrer host, without `www.`; undefined for a direct visit or an inner link. */
  referrer?: string;
  device: DeviceType;
  language: string;
};

const same = (expected: string | undefined, actual: string | undefined) =>
  expected === undefined || expected.toLowerCase() === actual?.toLowerCase();

/**
 * Whether `url` matches: a wildcard (`*` any characters) against the whole URL, or against the
 * path and query when the pattern starts with `/`; a regular expression anywhere in the URL.
 * Case does not matter. A pattern that does not compile matches nothing.
 * @example urlMatches("https://shop.test/cart?x=1", { match: "wildcard", pattern: "/cart*" }) // true
 */
export function urlMatches(url: string, { match, pattern }: UrlCondition): boolean {
  try {
    if (match === "regex") return new RegExp(pattern, "i").test(url);
    const parsed = new URL(url);
    const subject = pattern.startsWith("/") ? parsed.pathname + parsed.search : url;
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${body}$`, "i").test(subject);
  } catch {
    return false;
  }
}

/** Whether the visit came from `expected`: a domain (or a subdomain of it), a search engine's name, or `search` for any. */
export function referrerMatches(expected: string, host: string | undefined): boolean {
  if (!host) return false;
  const wanted = expected.toLowerCase().replace(/^www\./, "");
  if (host === wanted || host.endsWith(`.${wanted}`)) return true;
  const { channel, engine } = classifySource("", `https://${host}/`);
  return channel === "search" && (wanted === "search" || engine?.toLowerCase() === wanted);
}

/** Whether every condition given holds (a rule with none holds at once). */
export function conditionsHold(conditions: InvitationConditions, facts: VisitorFacts): boolean {
  const c = conditions;
  return (
    facts.secondsOnPage >= (c.timeOnPage ?? 0) &&
    facts.engagedSeconds >= (c.engagedTime ?? 0) &&
    facts.pagesViewed >= (c.pagesViewed ?? 0) &&
    facts.scrollDepth >= (c.scrollDepth ?? 0) &&
    (!c.exitIntent || facts.exitIntent) &&
    (!c.url || urlMatches(facts.url, c.url)) &&
    (!c.visit || (c.visit === "first") === (facts.visitNumber === 1)) &&
    same(c.utmSource, facts.utm.source) &&
    same(c.utmMedium, facts.utm.medium) &&
    same(c.utmCampaign, facts.utm.campaign) &&
    (!c.referrer || referrerMatches(c.referrer, facts.referrer)) &&
    (!c.device || c.device === facts.device) &&
    (!c.language || same(c.language, facts.language.slice(0, c.language.length)))
  );
}

/** What the widget remembers about invitations across page loads. */
export type InvitationMemory = {
  /** The visit in which a rule's invitation was last shown. */
  shownInVisit?: string;
  /** When the visitor last dismissed an invitation (ms since the epoch). */
  dismissedAt?: number;
};

/** Where the visitor stands when a rule fires. */
export type InvitationSituation = {
  /** Whether an agent is online; undefined until the relay has said. */
  online: boolean | undefined;
  /** Whether the site offers the offline form when nobody is online (else the widget hides). */
  offlineForm: boolean;
  /** A chat is requested or active. */
  chatUnderWay: boolean;
  device: DeviceType;
  visitId: string | undefined;
  memory: InvitationMemory;
  now: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a rule's invitation may show: never during a chat, at most once per visit, not
 * within the rule's days after a dismissal (nor again in the visit of the dismissal), not on
 * mobile if the rule says so, and only while an agent is online unless the rule offers the
 * offline form instead (and the site shows one).
 */
export function invitationAllowed(
  rule: VisitorInvitationRule,
  { online, offlineForm, chatUnderWay, device, visitId, memory, now }: InvitationSituation,
): boolean {
  const { shownInVisit, dismissedAt } = memory;
  return (
    !chatUnderWay &&
    !(visitId && shownInVisit === visitId) &&
    !(dismissedAt !== undefined && now - dismissedAt < rule.dismissDays * DAY_MS) &&
    !(rule.notOnMobile && device === "mobile") &&
    (online === true || (online === false && rule.whenOffline === "form" && offlineForm))
  );
}

/** The device type from the pointer and the screen: the SDK carries no user-agent parser. */
export function deviceType(): DeviceType {
  if (!matchMedia("(pointer: coarse)").matches) return "desktop";
  return Math.min(screen.width, screen.height) < 600 ? "mobile" : "tablet";
}
