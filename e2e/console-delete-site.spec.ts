import { DEMO } from "../relay/demo-site.ts";
import { addAgent } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

test("an admin deletes the site in Settings: every console is signed out saying why, no one signs in again, and the site's visitors are forgotten", async ({
  browser,
  page,
  relay,
}) => {
  const ana = await addAgent(relay.url, "Ana");
  const colleague = await (await browser.newContext()).newPage();
  await signInToConsole(colleague, relay.url, ana);
  await signInToConsole(page, relay.url);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${relay.url}/demo/`);
  await expect(page.getByTestId("visitor-row").getByTestId("visitor-pageviews")).toHaveText("1");

  await page.getByTestId("nav-settings").click();
  const form = page.getByTestId("delete-site");
  const submit = form.getByTestId("delete-site-submit");
  await expect(submit).toBeDisabled();
  await form.getByLabel(`Type ${DEMO.siteId} to confirm`).fill("dem");
  await expect(submit).toBeDisabled();
  await form.getByLabel(`Type ${DEMO.siteId} to confirm`).fill(DEMO.siteId);
  await submit.click();

  const deleted = `The site "${DEMO.siteId}" was deleted.`;
  await expect(page.getByTestId("login-error")).toHaveText(deleted);
  await expect(colleague.getByTestId("login-error")).toHaveText(deleted);

  await page.getByTestId("login-email").fill(DEMO.email);
  await page.getByTestId("login-password").fill(DEMO.password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");

  // The visitor's page comes back without a chat: the site is gone, and nothing written to it
  // could be sent. The next page draws no launcher at all.
  const warnings: string[] = [];
  visitor.on("console", (message) => warnings.push(message.text()));
  await visitor.reload();
  await expect
    .poll(() => warnings.find((text) => text.includes("tracking stopped")))
    .toContain(`unknown_site (The site "${DEMO.siteId}" was deleted)`);
  await expect(visitor.locator("parley-chat button:visible")).toHaveCount(0);
  await visitor.reload();
  await expect(visitor.locator("parley-chat")).toBeAttached();
  await expect(visitor.locator("parley-chat button:visible")).toHaveCount(0);
});
