import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import {
  invitationRule,
  loadWithInvitationRules,
  NO_PRECHAT,
  parley,
  setInvitationRules,
  setWidgetSettings,
  watchWidget,
} from "./widget-page.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

test("a time-on-page rule fires once: not again after dismissal, after a reload, nor for its days", async ({
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await setInvitationRules(relay.url, [
    invitationRule("rule-time-01", { timeOnPage: 30 }, "Can we help you choose a lamp?"),
  ]);
  const agent = await connectAgent(relay.url);
  await page.clock.install();
  const widget = await watchWidget(page);
  await loadWithInvitationRules(page, () => page.goto(`${site.url}/demo/products.html`));
  await page.clock.runFor(5_000);
  await expect(widget.invitation).toHaveCount(0);

  await page.clock.fastForward(30_000);
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Can we help you choose a lamp?",
  );
  await expect(widget.invitation).toContainText("Our team");
  await widget.invitation.getByTestId("invitation-dismiss").click();
  await expect(widget.invitation).toHaveCount(0);

  await page.clock.fastForward(60_000);
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  // The same visit after a reload: shown once per visit already.
  await loadWithInvitationRules(page, () => page.reload());
  await page.clock.fastForward(40_000);
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  // A new visit two days later: still within the rule's seven days after the dismissal.
  await page.clock.fastForward(2 * DAY_MS);
  await loadWithInvitationRules(page, () => page.reload());
  await page.clock.fastForward(40_000);
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  // Eight days after the dismissal, a new visit is invited again.
  await page.clock.fastForward(6 * DAY_MS);
  await loadWithInvitationRules(page, () => page.reload());
  await page.clock.fastForward(40_000);
  await expect(widget.invitation).toBeVisible();
  agent.close();
});

test("a rule held back because nobody is online fires when an agent comes online", async ({
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await setInvitationRules(relay.url, [
    invitationRule("rule-wait-01", { timeOnPage: 5 }, "Still looking for a lamp?"),
  ]);
  await page.clock.install();
  const widget = await watchWidget(page);
  await loadWithInvitationRules(page, () => page.goto(`${site.url}/demo/products.html`));
  await page.clock.fastForward(10_000);
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  const agent = await connectAgent(relay.url);
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Still looking for a lamp?",
  );
  agent.close();
});

test("a scroll-depth rule fires once the visitor scrolls far enough, and not again in the visit", async ({
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await setInvitationRules(relay.url, [
    invitationRule("rule-scroll1", { scrollDepth: 90 }, "Found what you were looking for?"),
  ]);
  const agent = await connectAgent(relay.url);
  await page.setViewportSize({ width: 1000, height: 300 });
  await page.clock.install();
  const widget = await watchWidget(page);
  await loadWithInvitationRules(page, () => page.goto(`${site.url}/demo/index.html`));
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Found what you were looking for?",
  );
  await widget.invitation.getByTestId("invitation-dismiss").click();
  await page.evaluate(() => scrollTo(0, 0));
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await loadWithInvitationRules(page, () => page.reload());
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  // Once a second the rules are checked again: give them two checks.
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);
  agent.close();
});

test("a UTM rule fires only for its campaign", async ({ page, relay, site }) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await setInvitationRules(relay.url, [
    invitationRule("rule-utm-001", { utmCampaign: "fall" }, "Fall sale: ask us anything!"),
  ]);
  const agent = await connectAgent(relay.url);
  await page.clock.install();
  const widget = await watchWidget(page);
  await loadWithInvitationRules(page, () =>
    page.goto(`${site.url}/demo/index.html?utm_source=newsletter&utm_campaign=spring`),
  );
  await page.clock.runFor(5_000);
  await expect(widget.invitation).toHaveCount(0);

  // Another campaign link starts a new visit, from the fall campaign.
  await page.goto(`${site.url}/demo/index.html?utm_source=newsletter&utm_campaign=fall`);
  await widget.launcher.waitFor();
  await page.clock.runFor(2_000);
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Fall sale: ask us anything!",
  );
  agent.close();
});

test("an exit-intent rule fires when the pointer leaves through the top of the page", async ({
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await setInvitationRules(relay.url, [
    invitationRule("rule-exit-01", { exitIntent: true }, "Before you go: 10% off today"),
  ]);
  const agent = await connectAgent(relay.url);
  await page.clock.install();
  const widget = await watchWidget(page);
  await loadWithInvitationRules(page, () => page.goto(`${site.url}/demo/index.html`));
  await page.mouse.move(400, 300);
  await page.mouse.move(400, 5);
  await page.clock.runFor(2_000);
  await expect(widget.invitation).toHaveCount(0);

  await page.mouse.move(400, -20);
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Before you go: 10% off today",
  );
  agent.close();
});

test("the host page's invitation is a small card on a phone; the reply starts the chat from it", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
  });
  const widget = await watchWidget(await context.newPage());
  await widget.page.goto(`${site.url}/demo/index.html`);
  await widget.launcher.waitFor();
  await parley(widget.page, "invite", "Free delivery today: questions?");
  await expect(widget.invitation.getByTestId("invitation-text")).toHaveText(
    "Free delivery today: questions?",
  );
  const card = await widget.invitation.boundingBox();
  expect(card?.width).toBeLessThan(375);
  expect(card?.height).toBeLessThan(667 / 2);
  await expect(widget.window).toHaveCount(0);

  // Tapped, it opens the chat with the invitation first; the reply starts the chat from it.
  await widget.invitation.getByTestId("invitation-open").tap();
  await expect(widget.messages.getByTestId("message-text")).toHaveText([
    "Free delivery today: questions?",
  ]);
  await widget.send("Do you ship to Spain?");
  const visitor = await agent.waitForVisitor(() => true);
  await expect
    .poll(async () => (await agent.history(visitor.id)).map((message) => message.text))
    .toEqual([
      "Invitation from the team: Free delivery today: questions?",
      "Do you ship to Spain?",
    ]);
  await context.close();
  agent.close();
});
