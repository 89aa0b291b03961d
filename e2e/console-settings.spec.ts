import { expect, signInToConsole, test } from "./fixtures.ts";

test("a schedule the relay refuses is explained with the field as the form names it", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  const hours = page.getByTestId("hours-form");
  await hours.getByTestId("hours-enabled").check();
  await hours.getByTestId("hours-time-zone").fill("Europe/Lisbon");
  await hours.getByTestId("hours-mon").fill("17:00-09:00");
  await hours.getByTestId("hours-save").click();
  await expect(page.getByTestId("hours-error")).toHaveText("Monday: a range ends after it starts");

  await hours.getByTestId("hours-mon").fill("09:00-17:00");
  await hours.getByTestId("hours-time-zone").fill("Mars/Olympus_Mons");
  await hours.getByTestId("hours-save").click();
  await expect(page.getByTestId("hours-error")).toHaveText(
    "Time zone: an IANA time zone, e.g. Europe/Lisbon",
  );
});

test("on a tall window the Settings cards keep together at the top", async ({ page, relay }) => {
  await page.setViewportSize({ width: 1280, height: 3000 });
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("rules-editor")).toBeVisible();
  const gaps = await page.locator(".settings-view").evaluate((view) => {
    const cards = [...view.children].map((card) => card.getBoundingClientRect());
    const rowTops = [...new Set(cards.map((card) => card.top))].sort((a, b) => a - b);
    return rowTops.slice(1).map((top, row) => {
      const above = cards.filter((card) => card.top === rowTops[row]);
      return top - Math.max(...above.map((card) => card.bottom));
    });
  });
  expect(gaps.length).toBeGreaterThan(0);
  // The view's own gap between rows, not the window's spare height.
  for (const gap of gaps) expect(gap).toBeLessThanOrEqual(16);
});

test("an admin renames the site, lists its origins and sets how long visitors' data is kept; the header follows at once", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  const form = page.getByTestId("site-form");
  const origins = form.getByTestId("site-origins");
  await expect(origins).toHaveValue(/http:\/\/127\.0\.0\.1:\d+/);
  const before = await origins.inputValue();

  await origins.fill(`${before}\nshop.example`);
  await form.getByTestId("site-save").click();
  await expect(page.getByTestId("site-error")).toHaveText(
    `Allowed origins, line ${before.split("\n").length + 1}: an origin is scheme://host[:port] with no path`,
  );

  await form.getByTestId("site-name-field").fill("Corner Shop");
  // The slash a browser's address bar shows after the host is not part of an origin.
  await origins.fill(`${before}\n\nhttps://Shop.example/`);
  await expect(form.getByTestId("site-retention")).toHaveValue("0");
  await form.getByTestId("site-retention").fill("90");
  await form.getByTestId("site-save").click();
  await expect(page.getByTestId("site-saved")).toBeVisible();
  await expect(page.getByTestId("site-name")).toHaveText("Corner Shop");

  await page.reload();
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("site-origins")).toHaveValue(`${before}\nhttps://shop.example`);
  await expect(page.getByTestId("site-retention")).toHaveValue("90");
  await expect(page.getByTestId("site-name")).toHaveText("Corner Shop");
});

test("Settings show the site's snippet, from the relay the console is on, and copy it", async ({
  page,
  relay,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  const snippet = `<script async src="${relay.url}/loader.js" data-site="demo"></script>`;
  await expect(page.getByTestId("site-snippet")).toHaveValue(snippet);
  await page.getByTestId("site-snippet-copy").click();
  await expect(page.getByTestId("site-snippet-copied")).toHaveText("Copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
});
