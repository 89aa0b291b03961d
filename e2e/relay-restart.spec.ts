import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";

const title = (page: string) => `${page} · Parley Demo Shop`;

test("page views made while the relay is down are stored exactly once after it restarts", async ({
  browser,
  relay,
  site,
}) => {
  const before = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${site.url}/demo/index.html`);
  const visitor = await before.waitForVisitor((entry) => entry.page?.title === title("Home"));
  before.close();

  // The shop runs on its own origin (`site`), so it keeps serving while the relay is down.
  await relay.crash();
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Products" }).click();
  await expect(page).toHaveTitle(title("Products"));
  await nav.getByRole("link", { name: "Cart" }).click();
  await expect(page).toHaveTitle(title("Cart"));

  await relay.restart();
  const after = await connectAgent(relay.url);
  await after.waitForVisitor(
    (entry) => entry.id === visitor.id && entry.visit?.pageviews === 3,
    45_000,
  );
  // Re-sends after the reconnect must not have stored anything twice.
  const trail = await after.trail(visitor.id);
  expect(trail.visits).toHaveLength(1);
  expect(trail.visits[0]?.pageviews.map((view) => view.title)).toEqual([
    title("Home"),
    title("Products"),
    title("Cart"),
  ]);
  after.close();
});
