import { connectAgent, offlineMessages } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import { startHostSite } from "./host-site.ts";
import { fillOfflineForm, NO_PRECHAT, setWidgetSettings, watchWidget } from "./widget-page.ts";

test("messages typed while the relay is down are queued, sent on reconnect and shown once", async ({
  browser,
  relay,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  // The shop runs on its own origin, so it keeps serving while the relay is down.
  const site = await startHostSite(relay.url);
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
  await site.close();
});

test("an offline form sent while the relay is down says sent only after the relay is back, and is stored once", async ({
  browser,
  relay,
}) => {
  const site = await startHostSite(relay.url);
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
  await site.close();
});
