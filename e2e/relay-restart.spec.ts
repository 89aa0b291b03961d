import type { Page } from "@playwright/test";
import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";

const title = (page: string) => `${page} · Parley Demo Shop`;

/**
 * Waits until the tracker's durable outbox (IndexedDB database `parley`, which keeps events
 * until the relay acknowledges them) holds the page view titled `wanted`: the page has been
 * recorded, as it is for a visitor who stays on it a moment. The tracker loads when the page is
 * idle, so a click at once could leave the page before it is counted.
 */
async function recorded(page: Page, wanted: string): Promise<void> {
  const holds = () =>
    page.evaluate(async (title) => {
      // Opening a database that does not exist would create it, empty, under the tracker.
      if (!(await indexedDB.databases()).some((db) => db.name === "parley")) return false;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const opened = indexedDB.open("parley");
        opened.onsuccess = () => resolve(opened.result);
        opened.onerror = () => reject(opened.error);
      });
      try {
        if (!db.objectStoreNames.contains("kv")) return false;
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const read = db.transaction("kv").objectStore("kv").getAll();
          read.onsuccess = () => resolve(read.result);
          read.onerror = () => reject(read.error);
        });
        return values.some((value) => JSON.stringify(value).includes(JSON.stringify(title)));
      } finally {
        db.close();
      }
    }, wanted);
  await expect.poll(holds).toBe(true);
}

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
  await recorded(page, title("Products"));
  await nav.getByRole("link", { name: "Cart" }).click();
  await expect(page).toHaveTitle(title("Cart"));
  await recorded(page, title("Cart"));

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
