import { expect, signInToConsole, test } from "./fixtures.ts";

const title = (page: string) => `${page} · Parley Demo Shop`;

test("an agent watches a newsletter visitor browse three pages and reads the trail, and their local time", async ({
  browser,
  relay,
}) => {
  const agent = await (await browser.newContext()).newPage();
  await signInToConsole(agent, relay.url);
  await expect(agent.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");

  // A visitor in India: the console shows their local time, 5:30 ahead of UTC.
  const visitor = await (await browser.newContext({ timezoneId: "Asia/Kolkata" })).newPage();
  await visitor.goto(`${relay.url}/demo/?utm_source=newsletter&utm_medium=email&utm_campaign=fall`);
  const row = agent.getByTestId("visitor-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("visitor-page-title")).toHaveText(title("Home"));
  await expect(row.getByTestId("visitor-source")).toContainText("newsletter");
  await expect(row.getByTestId("visitor-source")).toContainText("fall");
  await expect(row.getByTestId("visitor-status")).toHaveAttribute("data-status", "online");
  await row.click();
  await expect(agent.getByTestId("profile-visit")).toContainText("· 1 page ·");
  await expect(agent.getByTestId("profile-local-time")).toHaveText(/^\d\d:\d\d.* \(UTC\+5:30\)$/);

  await visitor
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Products" })
    .click();
  await expect(row.getByTestId("visitor-page-title")).toHaveText(title("Products"));
  await visitor
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "About" })
    .click();
  await expect(row.getByTestId("visitor-page-title")).toHaveText(title("About"));
  await expect(row.getByTestId("visitor-pageviews")).toContainText("3");

  await expect(agent.getByTestId("profile-visit")).toContainText("· 3 pages ·");
  const trail = agent.getByTestId("trail");
  await expect(trail.getByTestId("pageview-title")).toHaveText([
    title("Home"),
    title("Products"),
    title("About"),
  ]);
  await expect(agent.getByTestId("profile-first-source")).toContainText("newsletter");

  // The trail keeps up with the visitor while it is open.
  await visitor
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Cart" })
    .click();
  await expect(trail.getByTestId("pageview-title")).toHaveText([
    title("Home"),
    title("Products"),
    title("About"),
    title("Cart"),
  ]);
  // The page the visitor is on counts its engaged time on, as the visit's does, between the
  // heartbeats that do not fetch the trail again.
  await expect(trail.getByTestId("pageview-engaged").last()).toHaveText(/^[1-9]\d*s engaged$/);

  // Closing the last tab makes the visitor gone, after a grace period for page loads.
  await visitor.context().close();
  await expect(row.getByTestId("visitor-status")).toHaveAttribute("data-status", "gone", {
    timeout: 45_000,
  });
});

test("client-side navigation in a single-page app counts as page views", async ({
  browser,
  relay,
}) => {
  const agent = await (await browser.newContext()).newPage();
  await signInToConsole(agent, relay.url);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${relay.url}/demo/app.html`);
  const row = agent.getByTestId("visitor-row");
  await expect(row.getByTestId("visitor-page-title")).toHaveText(title("Help center"));
  const tabs = visitor.getByRole("navigation", { name: /help/i }).getByRole("link");
  const names = await tabs.allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(2);
  await tabs.nth(1).click();
  await expect(row.getByTestId("visitor-pageviews")).toContainText("2");
  await visitor.goBack();
  await expect(row.getByTestId("visitor-pageviews")).toContainText("3");

  await row.click();
  const urls = agent.getByTestId("trail").getByTestId("pageview-url");
  await expect(urls).toHaveCount(3);
  await expect(urls.nth(1)).toContainText("tab=");
});

const TABS = 4;

test("tabs opened together on a first visit are one visitor, on one visit", async ({
  browser,
  relay,
}) => {
  const agent = await (await browser.newContext()).newPage();
  await signInToConsole(agent, relay.url);

  const visitor = await browser.newContext();
  // Every IndexedDB read answers 300 ms late, so that the tabs' first reads overlap: each would
  // find no visitor saved and create its own, were they not taking turns.
  await visitor.addInitScript(() => {
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey) {
      const request = get.call(this, query);
      let onsuccess: ((event: Event) => void) | null = null;
      Object.defineProperty(request, "onsuccess", {
        get: () => onsuccess,
        set: (handler) => {
          onsuccess = handler;
        },
      });
      request.addEventListener("success", (event) => {
        setTimeout(() => onsuccess?.call(request, event), 300);
      });
      return request;
    };
  });
  const tabs = await Promise.all(Array.from({ length: TABS }, () => visitor.newPage()));
  await Promise.all(tabs.map((tab) => tab.goto(`${relay.url}/demo/`)));
  // One row with every tab's page view; more visitors would be more rows, and more visits
  // would show fewer page views on the visitor's latest.
  await expect(agent.getByTestId("visitor-pageviews")).toHaveText([new RegExp(`\\b${TABS}\\b`)]);
});
