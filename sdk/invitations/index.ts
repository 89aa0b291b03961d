/**
 * The invitation rules' chunk: loaded by the tracker only when `welcome` brings rules, so sites
 * without rules never download it. It watches the page (time, scroll depth, exit intent) and
 * the tracker's visit, and hands the widget an `invite` frame, as if from the relay, when a
 * rule's conditions hold; the widget applies the limits (see `invitationAllowed`).
 */
import type { VisitorInvitationRule } from "../../protocol/invitations.ts";
import type { VisitorServerFrame } from "../../protocol/visitor.ts";
import { guard } from "../guard/index.ts";
import { randomId } from "../random/index.ts";
import type { Page } from "../tracker/index.ts";
import type { Visit } from "../visit/index.ts";
import { conditionsHold, deviceType, type VisitorFacts } from "./evaluate.ts";

/** How often the conditions are checked while the page is open. */
export const CHECK_EVERY_MS = 1000;
/** An upward scroll of this share of the screen within {@link FAST_SCROLL_MS} is exit intent on touch screens. */
const FAST_SCROLL_SHARE = 0.3;
const FAST_SCROLL_MS = 300;

export type InvitationWatchOptions = {
  rules: VisitorInvitationRule[];
  /** The tracker's current visit and page view. */
  visit(): Visit | undefined;
  page(): Page | undefined;
  now(): number;
  /** Hands a frame to the tracker's listeners (the widget). */
  deliver(frame: VisitorServerFrame): void;
  signal: AbortSignal;
};

/** The visit's UTM fields and referrer host, in the order `sourceSignature` keeps them. */
function sourceOf(visit: Visit): Pick<VisitorFacts, "utm" | "referrer"> {
  const [source, medium, campaign, , , , , referrer] = JSON.parse(visit.signature ?? "[]");
  return { utm: { source, medium, campaign }, referrer: referrer || undefined };
}

/**
 * Checks every rule once a second and on scroll and exit intent; each rule fires at most once
 * per page view, and one at a time.
 * @example watchInvitations({ rules, visit, page, now: Date.now, deliver, signal })
 */
export function watchInvitations({
  rules,
  visit,
  page,
  now,
  deliver,
  signal,
}: InvitationWatchOptions): void {
  const device = deviceType();
  let pageId: string | undefined;
  let scrollDepth = 0;
  let exitIntent = false;
  let fired = new Set<string>();
  let lastScroll = { y: scrollY, at: now() };

  const check = guard(() => {
    const current = page();
    const currentVisit = visit();
    if (!current || !currentVisit || current.visitId !== currentVisit.id) return;
    if (current.id !== pageId) {
      // A new page view (a client-side navigation too): its own time, scroll and exit intent.
      pageId = current.id;
      scrollDepth = 0;
      exitIntent = false;
      fired = new Set();
    }
    const root = document.documentElement;
    scrollDepth = Math.max(
      scrollDepth,
      Math.min(100, ((scrollY + innerHeight) / Math.max(root.scrollHeight, 1)) * 100),
    );
    const facts: VisitorFacts = {
      url: location.href,
      secondsOnPage: (now() - current.at) / 1000,
      engagedSeconds: (currentVisit.engagedMs || 0) / 1000,
      pagesViewed: currentVisit.pages || 1,
      visitNumber: currentVisit.number,
      scrollDepth,
      exitIntent,
      ...sourceOf(currentVisit),
      device,
      language: navigator.language ?? "",
    };
    const rule = rules.find(
      (each) => !fired.has(each.id) && conditionsHold(each.conditions, facts),
    );
    if (!rule) return;
    fired.add(rule.id);
    deliver({
      type: "invite",
      invitation: {
        id: randomId(),
        text: rule.message,
        sender: rule.sender,
        rule,
        visitId: currentVisit.id,
      },
    });
  });

  const timer = setInterval(check, CHECK_EVERY_MS);
  signal.addEventListener("abort", () => clearInterval(timer));
  const options = { signal, passive: true };
  addEventListener(
    "scroll",
    guard(() => {
      const at = now();
      const fell = lastScroll.y - scrollY;
      const fast = fell > innerHeight * FAST_SCROLL_SHARE && at - lastScroll.at < FAST_SCROLL_MS;
      if (fast && device !== "desktop") exitIntent = true;
      if (fell < 0 || at - lastScroll.at >= FAST_SCROLL_MS) lastScroll = { y: scrollY, at };
      check();
    }),
    options,
  );
  document.addEventListener(
    "mouseout",
    guard((event: MouseEvent) => {
      // Leaving through the top edge: towards the tabs, the address bar or the close button.
      if (!event.relatedTarget && event.clientY <= 0) {
        exitIntent = true;
        check();
      }
    }),
    options,
  );
  check();
}
