import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import {
  logged,
  NO_PRECHAT,
  parley,
  recordEvents,
  setWidgetSettings,
  watchWidget,
} from "./widget-page.ts";

test("commands queued before load run once it loads, and events tell the page what happens", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  await recordEvents(page);
  await page.addInitScript(() => {
    const { parley } = window as unknown as { parley(command: string, ...args: unknown[]): void };
    parley("setLocale", "es");
    parley("open");
  });
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);

  await expect(widget.window).toBeVisible();
  await expect(widget.launcher).toHaveAccessibleName("Cerrar el chat");
  // Availability comes when the relay says, before or after ready.
  await expect
    .poll(async () => (await logged(page)).map((entry) => JSON.stringify(entry)).sort())
    .toEqual(['["availability",true]', '["open"]', '["ready"]']);

  await parley(page, "sendMessage", "Sent by the page");
  await expect(widget.messages.getByTestId("message-text")).toHaveText(["Sent by the page"]);
  await expect
    .poll(async () => (await logged(page)).at(-1))
    .toEqual([
      "message:sent",
      { id: expect.any(String), text: "Sent by the page", at: expect.any(Number) },
    ]);
  await expect(widget.messages.getByTestId("receipt")).toHaveAttribute("data-receipt", "delivered");

  await parley(page, "close");
  await expect(widget.window).toBeHidden();
  await expect.poll(async () => (await logged(page)).at(-1)).toEqual(["close"]);

  // An agent answers while the window is closed: an unread badge, and the page is told.
  const visitor = await agent.waitForVisitor(() => true);
  await agent.say(visitor.id, "Hola, ¿en qué te ayudo?");
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveText("1");
  // The site's own launcher text, then the count in the visitor's language.
  await expect(widget.launcher).toHaveAccessibleName("Chat with us, 1 mensaje sin leer");
  await expect.poll(() => logged(page)).toContainEqual(["unread", 1]);
  expect(await logged(page)).toContainEqual([
    "message:received",
    {
      id: expect.any(String),
      text: "Hola, ¿en qué te ayudo?",
      at: expect.any(Number),
      agent: { id: expect.any(String), name: "Demo Admin" },
    },
  ]);

  // Opening the window reads it.
  await widget.launcher.click();
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveCount(0);
  await expect.poll(async () => (await logged(page)).slice(-2)).toEqual([["open"], ["unread", 0]]);

  // Hidden by the page: no launcher, no window, until shown again (which shows the launcher).
  await parley(page, "hide");
  await expect(widget.launcher).toBeHidden();
  await expect(widget.window).toBeHidden();
  await parley(page, "open");
  await parley(page, "show");
  await expect(widget.launcher).toBeVisible();
  await expect(widget.window).toBeHidden();

  // Nobody online any more.
  agent.close();
  await expect.poll(async () => (await logged(page)).at(-1)).toEqual(["availability", false]);
});

test("identify and setCustomData reach the agents", async ({ browser, relay, site }) => {
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  await recordEvents(page);
  await page.addInitScript(() => {
    const { parley } = window as unknown as { parley(command: string, ...args: unknown[]): void };
    parley("identify", { name: "Ann Lee", email: "ann@example.com", phone: "+1 555 0100" });
    parley("setCustomData", { plan: "pro", cartValue: 129.5 });
  });
  await page.goto(`${site.url}/demo/index.html`);
  const entry = await agent.waitForVisitor(
    (visitor) => visitor.contact?.email === "ann@example.com" && visitor.customData?.plan === "pro",
  );
  expect(entry.name).toBe("Ann Lee");
  expect(entry.contact).toMatchObject({ name: "Ann Lee", phone: "+1 555 0100" });
  expect(entry.customData).toEqual({ plan: "pro", cartValue: 129.5 });

  // Identified by the page: no pre-chat questions.
  const widget = await watchWidget(page);
  await widget.open();
  await expect(widget.composer).toBeFocused();
  agent.close();
});

test("a click on the launcher before the widget has loaded opens the chat once it has", async ({
  browser,
  site,
}) => {
  const page = await (await browser.newContext()).newPage();
  await recordEvents(page);
  // Hold widget.js back until the click.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/widget.js", async (route) => {
    await held;
    await route.continue();
  });
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  const facade = widget.host.getByRole("button", { name: "Chat" });
  await facade.click();
  await expect(widget.launcher).toHaveCount(0);
  release();
  await expect(widget.window).toBeVisible();
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "true");
  expect(await logged(page)).toContainEqual(["open"]);
});

test("two snippets on one page mount one widget", async ({ browser, relay, site }) => {
  const page = await (await browser.newContext()).newPage();
  await recordEvents(page);
  // A second copy of the snippet, as a tag manager might add, racing the page's own.
  await page.addInitScript((src) => {
    document.addEventListener("DOMContentLoaded", () => {
      const script = document.createElement("script");
      script.async = true;
      script.src = src;
      script.dataset.site = "demo";
      document.body.append(script);
    });
  }, `${relay.url}/loader.js`);
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await expect(page.locator("script[src$='/loader.js']")).toHaveCount(2);
  await expect(widget.launcher).toBeVisible();
  await expect.poll(() => logged(page)).toContainEqual(["ready"]);
  await page.waitForTimeout(500);
  await expect(page.locator("parley-chat")).toHaveCount(1);
  expect((await logged(page)).filter(([event]) => event === "ready")).toHaveLength(1);
});
