import { type BrowserContext, expect, type Locator, type Page } from "@playwright/test";
import type { InvitationRule, WidgetSettings } from "../protocol/index.ts";
import { EVENT_NAMES } from "../widget/api/index.ts";
import { updateSite } from "./agent-client.ts";

/**
 * Helpers for the widget's specs: the widget as a visitor sees it. Playwright's locators reach
 * into the widget's open shadow root.
 */
export type WidgetPage = {
  page: Page;
  /** The widget's host element (its shadow root holds everything). */
  host: Locator;
  /** The real launcher (the facade has no test id): present once the widget has mounted. */
  launcher: Locator;
  window: Locator;
  composer: Locator;
  /** The conversation's messages (system lines apart). */
  messages: Locator;
  /** An invitation's card (while the window is closed). */
  invitation: Locator;
  /** Opens the chat window with the launcher, once the widget has mounted. */
  open(): Promise<void>;
  /** Types `text` in the composer and sends it with Enter. */
  send(text: string): Promise<void>;
  /** `securitypolicyviolation` events and CSP console messages seen so far. */
  violations(): Promise<string[]>;
};

/**
 * Watches `page` for CSP violations from its first script on (before any of the page's own),
 * and gives the widget's parts as locators.
 */
export async function watchWidget(page: Page): Promise<WidgetPage> {
  const consoleViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text()))
      consoleViolations.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`),
    );
  });
  const host = page.locator("parley-chat");
  const launcher = host.getByTestId("launcher");
  const window = host.getByTestId("chat-window");
  const composer = window.getByTestId("composer");
  return {
    page,
    host,
    launcher,
    window,
    composer,
    messages: window.getByTestId("message"),
    invitation: host.getByTestId("invitation"),
    async open() {
      await launcher.click();
      await window.waitFor();
    },
    async send(text) {
      await composer.fill(text);
      await composer.press("Enter");
    },
    async violations() {
      const seen = await page.evaluate(
        () => (window as unknown as { __violations?: string[] }).__violations ?? [],
      );
      return [...seen, ...consoleViolations];
    },
  };
}

/** Changes the demo site's widget settings as its admin would (`PUT /api/site`). */
export async function setWidgetSettings(
  relayUrl: string,
  widget: Partial<Omit<WidgetSettings, "prechat">> & { prechat?: WidgetSettings["prechat"] },
): Promise<void> {
  await updateSite(relayUrl, { widget });
}

/** Replaces the demo site's invitation rules as its admin would. */
export async function setInvitationRules(
  relayUrl: string,
  invitations: InvitationRule[],
): Promise<void> {
  await updateSite(relayUrl, { invitations });
}

/** What a visitor types in the offline form. */
export type OfflineFormFields = { name: string; email: string; phone?: string; message: string };

/** Fills in the widget's offline form (it must be showing) without sending it. */
export async function fillOfflineForm(widget: WidgetPage, fields: OfflineFormFields) {
  const form = widget.window.getByTestId("offline-form");
  await form.getByLabel("Name").fill(fields.name);
  await form.getByLabel("Email").fill(fields.email);
  if (fields.phone !== undefined) await form.getByLabel("Phone").fill(fields.phone);
  await form.getByLabel("Message").fill(fields.message);
}

/**
 * Runs `navigate` on a page with Playwright's clock installed and waits until the page has
 * loaded the invitation rules' chunk (the SDK loads it after `welcome`), moving the page's
 * clock on meanwhile: its socket waits on its timers. Routing the chunk keeps it out of the
 * HTTP cache, so that every page load fetches it where the test can see it.
 */
export async function loadWithInvitationRules(page: Page, navigate: () => Promise<unknown>) {
  await page.route("**/invitations.js", (route) => route.continue());
  let loaded = false;
  const response = page
    .waitForResponse((each) => each.url().endsWith("/invitations.js"))
    .then(() => {
      loaded = true;
    });
  await navigate();
  await expect
    .poll(async () => {
      if (!loaded) await page.clock.runFor(100);
      return loaded;
    })
    .toBe(true);
  await response;
}

/** An invitation rule: enabled, shown as from the site's team, quiet for a week once dismissed. */
export const invitationRule = (
  id: string,
  conditions: InvitationRule["conditions"],
  message: string,
): InvitationRule => ({
  id,
  name: id,
  enabled: true,
  conditions,
  message,
  senderId: null,
  whenOffline: "skip",
  dismissDays: 7,
  notOnMobile: false,
});

/** No pre-chat questions: the composer comes at once. */
export const NO_PRECHAT: WidgetSettings["prechat"] = { name: "off", email: "off", phone: "off" };

export type Logged = [event: string, ...args: unknown[]];

/**
 * Defines `window.parley` before the snippet runs, as a site calling the API early would,
 * and records every event the widget emits into `window.logged`.
 */
export const recordEvents = (target: Page | BrowserContext) =>
  target.addInitScript((events) => {
    const page = window as unknown as {
      parley: ((command: string, ...args: unknown[]) => void) & { q?: unknown[][] };
      logged: unknown[][];
    };
    page.logged = [];
    page.parley = (command, ...args) => {
      page.parley.q ??= [];
      page.parley.q.push([command, args]);
    };
    for (const event of events)
      page.parley("on", event, (...args: unknown[]) => page.logged.push([event, ...args]));
  }, EVENT_NAMES);
/** The events the widget emitted on `page`, oldest first. */
export const logged = (page: Page) =>
  page.evaluate(() => (window as unknown as { logged: Logged[] }).logged);
/** Calls `window.parley(command, ...args)` on `page`. */
export const parley = (page: Page, command: string, ...args: unknown[]) =>
  page.evaluate(
    ([command, args]) =>
      (window as unknown as { parley(c: unknown, ...a: unknown[]): void }).parley(
        command,
        ...(args as unknown[]),
      ),
    [command, args] as const,
  );
