import { connectAgent } from "./agent-client.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import {
  loadWithInvitationRules,
  NO_PRECHAT,
  setWidgetSettings,
  watchWidget,
} from "./widget-page.ts";

test("an admin writes a rule in Settings; the console counts its invitations shown, accepted and dismissed", async ({
  browser,
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("rule-add").click();
  const rule = page.getByTestId("rule");
  await rule.getByTestId("rule-name").fill("Product pages");
  await rule.getByTestId("rule-message").fill("Questions about this product?");
  await rule.getByTestId("rule-timeOnPage").fill("");
  await rule.getByLabel("How the URL is matched").selectOption("wildcard");
  await rule.getByTestId("rule-url-pattern").fill("/demo/products/*");
  await page.getByTestId("rules-save").click();
  await expect(page.getByTestId("rules-saved")).toBeVisible();

  // A regular expression that does not compile is refused by the relay, with its reason and
  // the field as the editor names it.
  await rule.getByLabel("How the URL is matched").selectOption("regex");
  await rule.getByTestId("rule-url-pattern").fill("([a-z]");
  await page.getByTestId("rules-save").click();
  await expect(page.getByTestId("rules-error")).toHaveText(
    "Rule 1, URL pattern: the URL pattern is not a valid regular expression",
  );
  await page.reload();
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("rule-url-pattern")).toHaveValue("/demo/products/*");

  // One visitor answers the invitation, another dismisses it; the home page invites no one.
  const agent = await connectAgent(relay.url);
  const visitors = [];
  for (const answer of ["reply", "dismiss"] as const) {
    const context = await browser.newContext();
    const visitor = await watchWidget(await context.newPage());
    await visitor.page.clock.install();
    await loadWithInvitationRules(visitor.page, () =>
      visitor.page.goto(`${site.url}/demo/index.html`),
    );
    await visitor.page.clock.runFor(2_000);
    await expect(visitor.invitation).toHaveCount(0);
    await loadWithInvitationRules(visitor.page, () =>
      visitor.page.goto(`${site.url}/demo/products/lamp.html`),
    );
    await visitor.page.clock.runFor(2_000);
    await expect(visitor.invitation).toContainText("Questions about this product?");
    if (answer === "reply") {
      await visitor.invitation.getByTestId("invitation-open").click();
      await visitor.send("Is it dimmable?");
      await expect(visitor.messages.getByTestId("receipt")).toHaveAttribute(
        "data-receipt",
        "delivered",
      );
    } else await visitor.invitation.getByTestId("invitation-dismiss").click();
    visitors.push(context);
  }

  await expect(async () => {
    await page.reload();
    await page.getByTestId("nav-settings").click();
    await expect(page.getByTestId("rule-stats")).toHaveText("Shown 2 · accepted 1 · dismissed 1", {
      timeout: 1_000,
    });
  }).toPass();
  for (const context of visitors) await context.close();
  agent.close();
});

test("an agent invites a visitor from the live list: the invitation reaches every open page", async ({
  browser,
  page,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const context = await browser.newContext();
  const tabs = [
    await watchWidget(await context.newPage()),
    await watchWidget(await context.newPage()),
  ];
  // One tab after the other: the second must find the visitor the first made.
  for (const [index, path] of ["index.html", "products.html"].entries()) {
    await tabs[index]?.page.goto(`${site.url}/demo/${path}`);
    await tabs[index]?.launcher.waitFor();
  }

  await signInToConsole(page, relay.url);
  await page.getByTestId("visitor-row").first().click();
  await page.getByTestId("invite-text").fill("Hi! Looking for a gift?");
  await page.getByTestId("invite-send").click();
  await expect(page.getByTestId("invite-sent")).toBeVisible();
  for (const tab of tabs) {
    await expect(tab.invitation.getByTestId("invitation-text")).toHaveText(
      "Hi! Looking for a gift?",
    );
    await expect(tab.invitation).toContainText("Demo Admin");
  }
  await context.close();
});
