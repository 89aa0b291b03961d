import { connectAgent, offlineMessages } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import {
  fillOfflineForm,
  logged,
  NO_PRECHAT,
  recordEvents,
  setWidgetSettings,
  watchWidget,
} from "./widget-page.ts";

test("messages typed while the relay is down are queued, sent on reconnect and shown once", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  // The shop runs on its own origin, so it keeps serving while the relay is down.
  const before = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  await widget.send("Before the outage");
  const receipt = (text: string) =>
    widget.messages.filter({ hasText: text }).getByTestId("receipt");
  await expect(receipt("Before the outage")).toHaveAttribute("data-receipt", "delivered");
  const visitor = await before.waitForVisitor(() => true);
  before.close();

  await relay.crash();
  const offline = ["Offline one", "Offline two", "Offline three"];
  for (const text of offline) await widget.send(text);
  for (const text of offline)
    await expect(receipt(text)).toHaveAttribute("data-receipt", "sending");

  await relay.restart();
  for (const text of offline)
    await expect(receipt(text)).toHaveAttribute("data-receipt", "delivered", { timeout: 45_000 });
  const texts = ["Before the outage", ...offline];
  await expect(widget.messages.getByTestId("message-text")).toHaveText(texts);

  // The agent has each message once, in order.
  const after = await connectAgent(relay.url);
  const history = await after.history(visitor.id);
  expect(history.filter((m) => m.author.kind === "visitor").map((m) => m.text)).toEqual(texts);

  // A reload shows the stored conversation, each message once.
  await page.reload();
  // The window was open: it stays open on the tab's next page.
  await expect(widget.window).toBeVisible();
  await expect(widget.messages.getByTestId("message-text")).toHaveText(texts);
  after.close();
});

test("an offline form sent while the relay is down says sent only after the relay is back, and is stored once", async ({
  browser,
  relay,
  site,
}) => {
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  // Nobody is online: the form, filled in before the outage.
  const form = widget.window.getByTestId("offline-form");
  await fillOfflineForm(widget, {
    name: "Ann Lee",
    email: "ann@example.com",
    message: "Do you deliver to Lisbon on Saturdays?",
  });

  await relay.crash();
  await form.getByRole("button", { name: "Send message" }).click();
  await expect(form.getByRole("button", { name: "Sending…" })).toBeDisabled();
  await expect(widget.window.getByTestId("offline-sent")).toHaveCount(0);

  await relay.restart();
  await expect(widget.window.getByTestId("offline-sent")).toBeVisible({ timeout: 45_000 });
  // A reload re-sends nothing the relay has: the message is stored exactly once.
  await page.reload();
  // The window was open: it stays open on the tab's next page.
  await expect(widget.window).toBeVisible();
  await expect(widget.window.getByTestId("offline-form")).toBeVisible();
  const stored = await offlineMessages(relay.url);
  expect(stored).toMatchObject([
    { name: "Ann Lee", email: "ann@example.com", text: "Do you deliver to Lisbon on Saturdays?" },
  ]);
});

test("the offline form shows every field, its errors and Send without scrolling, on a phone and a desktop", async ({
  browser,
  site,
}) => {
  for (const viewport of [
    { width: 375, height: 667 },
    { width: 1280, height: 800 },
  ]) {
    const widget = await watchWidget(await (await browser.newContext({ viewport })).newPage());
    await widget.page.goto(`${site.url}/demo/index.html`);
    await widget.open();
    const form = widget.window.getByTestId("offline-form");
    const send = form.getByRole("button", { name: "Send message" });
    await expect(send).toBeInViewport({ ratio: 1 });
    // Sent empty: an error under each required field, and still nothing to scroll.
    await send.click();
    const errors = form.getByText("Please fill this in.");
    await expect(errors).toHaveCount(3);
    for (const error of await errors.all()) await expect(error).toBeInViewport({ ratio: 1 });
    await expect(send).toBeInViewport({ ratio: 1 });
    expect(await form.evaluate((element) => element.scrollHeight - element.clientHeight)).toBe(0);
    await widget.page.context().close();
  }
});

test("a site that hides the widget while nobody is online flashes no launcher on the visitor's later pages", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { whenOffline: "hide" });
  const context = await browser.newContext();
  await recordEvents(context);
  // Looks every frame for a launcher on screen: the loader's facade or the widget's own.
  await context.addInitScript(() => {
    const page = window as unknown as { launcherSeen: boolean };
    page.launcherSeen = false;
    const look = () => {
      const launcher = document
        .querySelector("parley-chat")
        ?.shadowRoot?.querySelector(".launcher");
      if (launcher?.getClientRects().length) page.launcherSeen = true;
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  const widget = await watchWidget(await context.newPage());
  const { page } = widget;
  const launcherSeen = () =>
    page.evaluate(() => (window as unknown as { launcherSeen: boolean }).launcherSeen);
  // The first page cannot know before the relay says; it remembers for the next ones.
  await page.goto(`${site.url}/demo/index.html`);
  await expect.poll(() => logged(page)).toContainEqual(["availability", false]);
  for (const path of ["products.html", "index.html"]) {
    await page.goto(`${site.url}/demo/${path}`);
    await expect.poll(() => logged(page)).toContainEqual(["availability", false]);
    expect(await launcherSeen()).toBe(false);
  }
  // An agent comes online: the launcher shows, and on the next page the facade is back.
  const agent = await connectAgent(relay.url);
  await expect(widget.launcher).toBeVisible();
  await page.route("**/widget.js", () => {});
  await page.reload();
  await expect(widget.host.getByRole("button", { name: "Chat" })).toBeVisible();
  agent.close();
});
