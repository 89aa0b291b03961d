import { updateSite } from "./agent-client.ts";
import { connectVisitor } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

/*
 * The console on a small laptop screen (1024×700), with what visitors send at its longest: the
 * page never scrolls sideways, and every control stays in reach.
 */

const LONG_NAME = `Bartholomew ${"Longname".repeat(30)}`;
const LONG_PAGE = `/demo/${"very-long-path-segment-".repeat(20)}?q=1`;

test.use({ viewport: { width: 1024, height: 700 } });

test("a long chat request keeps its toast on screen, and its conversation header to the width", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const visitor = await connectVisitor(relay.url, "visitor-long-layout-1", LONG_PAGE);
  await visitor.identify({ name: LONG_NAME });
  await visitor.say("A".repeat(600));

  const toast = page.getByTestId("toast");
  for (const action of ["toast-accept", "toast-quick-reply", "toast-ignore"]) {
    await expect(toast.getByTestId(action)).toBeInViewport({ ratio: 1 });
  }
  const toastBox = await toast.boundingBox();
  expect((toastBox?.y ?? 0) + (toastBox?.height ?? 0)).toBeLessThanOrEqual(700);
  // The toast shows a few lines; the whole name is in its title.
  await expect(toast.getByTestId("toast-visitor")).toHaveAttribute("title", LONG_NAME);

  await toast.getByTestId("toast-accept").click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1024);
  const name = conversation.getByTestId("conversation-visitor");
  const nameBox = await name.boundingBox();
  const actionsBox = await conversation.locator(".conversation-actions").boundingBox();
  expect((nameBox?.x ?? 0) + (nameBox?.width ?? 0)).toBeLessThanOrEqual(actionsBox?.x ?? 0);
  const url = conversation.getByTestId("conversation-page");
  // One line each, cut short with an ellipsis; the whole in the title.
  expect((await url.boundingBox())?.height).toBeLessThan(24);
  await expect(name).toHaveAttribute("title", LONG_NAME);
  await expect(url).toHaveAttribute("title", `${relay.url}${LONG_PAGE}`);
});

test("the console's header keeps to one row, the site's name giving way", async ({
  page,
  relay,
}) => {
  // Outside business hours the header carries one more badge.
  await updateSite(relay.url, {
    businessHours: {
      enabled: true,
      timeZone: "UTC",
      days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    },
  });
  await signInToConsole(page, relay.url);
  await expect(page.getByTestId("hours-closed")).toBeVisible();
  await expect(page.getByTestId("enable-notifications")).toBeVisible();

  const topbar = page.locator(".topbar");
  const rows = await topbar.evaluate((bar) => {
    const items = [...bar.children].filter((item) => item.getBoundingClientRect().width > 0);
    return items.map((item) => Math.round(item.getBoundingClientRect().height));
  });
  // A label wrapped onto two lines makes its item twice as tall.
  for (const height of rows) expect(height).toBeLessThanOrEqual(32);
  expect(await topbar.evaluate((bar) => bar.scrollWidth <= bar.clientWidth)).toBe(true);
  const siteName = page.getByTestId("site-name");
  await expect(siteName).toHaveAttribute("title", (await siteName.textContent()) ?? "");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1024);
});

test("the visitor panel's invitation form is inset like the profile above it", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await connectVisitor(relay.url, "visitor-inset-layout-1");
  await page.getByTestId("visitor-row").click();
  const profileLabel = await page
    .getByTestId("visitor-profile")
    .locator("dt")
    .first()
    .boundingBox();
  const inviteLabel = await page.getByTestId("invite-form").locator("label").boundingBox();
  expect(inviteLabel?.x).toBe(profileLabel?.x);
  const panel = await page.getByTestId("visitor-panel").boundingBox();
  expect((inviteLabel?.x ?? 0) - (panel?.x ?? 0)).toBeGreaterThanOrEqual(12);
});

test("with a visitor's panel open, the live list keeps its columns to its width", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await connectVisitor(relay.url, "visitor-narrow-list-1");
  const row = page.getByTestId("visitor-row");
  await expect(row.getByTestId("visitor-visits")).toBeInViewport({ ratio: 1 });
  await row.click();
  const list = await page.locator(".visitors-main").boundingBox();
  const listRight = (list?.x ?? 0) + (list?.width ?? 0);
  for (const cell of ["visitor-status", "visitor-name", "visitor-page-title", "visitor-source"]) {
    await expect(row.getByTestId(cell)).toBeVisible();
  }
  const engaged = await row.getByTestId("visitor-engaged").boundingBox();
  expect(engaged?.width).toBeGreaterThan(0);
  expect((engaged?.x ?? 0) + (engaged?.width ?? 0)).toBeLessThanOrEqual(listRight);
  // Page views and visits give way: the panel shows them for this visitor.
  await expect(row.getByTestId("visitor-pageviews")).toBeHidden();
  await expect(row.getByTestId("visitor-visits")).toBeHidden();
  await expect(page.getByTestId("visitor-panel")).toContainText("Visits");
});
