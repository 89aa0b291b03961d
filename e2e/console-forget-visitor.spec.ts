import { addAgent } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

test("an admin deletes a visitor's data from their panel; a tab still open comes back as a new visitor", async ({
  browser,
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${relay.url}/demo/`);
  const row = page.getByTestId("visitor-row");
  // The tracker loads when the page is idle: the next page waits for this one to be counted.
  await expect(row.getByTestId("visitor-pageviews")).toHaveText("1");
  await visitor
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Products" })
    .click();
  await expect(row.getByTestId("visitor-pageviews")).toHaveText("2");
  await expect(row.getByTestId("visitor-name")).toHaveText("Visitor 1");

  await row.click();
  const panel = page.getByTestId("visitor-panel");
  await panel.getByTestId("forget-visitor-start").click();
  await expect(panel.getByTestId("forget-visitor-question")).toContainText(
    "Delete everything stored of Visitor 1",
  );
  await panel.getByRole("button", { name: "Cancel" }).click();
  await expect(panel.getByTestId("trail").getByTestId("pageview-title")).toHaveCount(2);

  await panel.getByTestId("forget-visitor-start").click();
  await panel.getByTestId("forget-visitor-confirm").click();
  await expect(panel).toHaveCount(0);
  // The visitor's open tab connects again, as someone the site has not seen: nothing of before.
  await expect(row.getByTestId("visitor-name")).toHaveText("Visitor 2");
  await expect(row.getByTestId("visitor-pageviews")).toHaveText("0");
  await row.click();
  await expect(panel.getByTestId("trail").getByTestId("pageview-title")).toHaveCount(0);

  // Agents who are not admins are not offered it.
  const ana = await addAgent(relay.url, "Ana");
  const colleague = await (await browser.newContext()).newPage();
  await signInToConsole(colleague, relay.url, ana);
  await colleague.getByTestId("visitor-row").click();
  await expect(colleague.getByTestId("visitor-panel")).toBeVisible();
  await expect(colleague.getByTestId("forget-visitor")).toHaveCount(0);
});
