import { connectAgent, offlineMessages } from "./agent-client.ts";
import { PIXEL_PNG } from "./console-chat.ts";
import { expect, test } from "./fixtures.ts";
import { logged, NO_PRECHAT, recordEvents, setWidgetSettings, watchWidget } from "./widget-page.ts";

test("one conversation in every tab: typing, read marks and unread counts follow", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const context = await browser.newContext();
  await recordEvents(context);
  const first = await watchWidget(await context.newPage());
  const second = await watchWidget(await context.newPage());
  await first.page.goto(`${site.url}/demo/index.html`);
  await first.open();
  await first.send("Which lamp is warmer?");
  const receipt = first.messages.getByTestId("receipt");
  await expect(receipt).toHaveAttribute("data-receipt", "delivered");
  // Another tab of the same visitor shows it too, once, without sending anything.
  await second.page.goto(`${site.url}/demo/products.html`);
  await second.open();
  await expect(second.messages.getByTestId("message-text")).toHaveText(["Which lamp is warmer?"]);
  await second.window.getByRole("button", { name: "Minimize chat" }).click();

  const visitor = await agent.waitForVisitor(() => true);
  const history = await agent.history(visitor.id);
  const mine = history.find((message) => message.text === "Which lamp is warmer?");
  agent.read(visitor.id, mine?.seq ?? 0);
  await expect(receipt).toHaveAttribute("data-receipt", "read");

  agent.typing(visitor.id, true);
  await expect(first.window.getByTestId("agent-typing")).toHaveText("Demo Admin is typing…");
  await agent.say(visitor.id, "The amber one.");
  await expect(first.window.getByTestId("agent-typing")).toHaveText("");
  await expect(first.window.getByTestId("chat-title")).toHaveText("Demo Admin");

  // Read in the open first tab, so unread in neither, once the second has it too.
  await expect(first.messages.getByTestId("message-text")).toHaveText([
    "Which lamp is warmer?",
    "The amber one.",
  ]);
  await expect
    .poll(async () => (await logged(second.page)).filter(([event]) => event === "message:received"))
    .toHaveLength(1);
  await expect(second.launcher.getByTestId("unread-badge")).toHaveCount(0);
  agent.close();
});

test("Enter sends everything typed, even keys the widget has not rendered yet", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const widget = await watchWidget(await (await browser.newContext()).newPage());
  const { page, composer } = widget;
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  await expect(composer).toBeFocused();
  // The widget renders a timer's task after each keystroke; a fast typist (or a busy page)
  // presses Enter before that. Paused timers hold every render back while the keys go in.
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 1_000);
  await composer.pressSequentially("hi zed");
  await composer.press("Enter");
  await page.keyboard.type("next");
  await page.clock.resume();
  await expect(widget.messages.getByTestId("message-text")).toHaveText(["hi zed"]);
  await expect(composer).toHaveValue("next");
  const visitor = await agent.waitForVisitor(() => true);
  await expect
    .poll(async () => (await agent.history(visitor.id)).map((message) => message.text))
    .toEqual(["hi zed"]);
  agent.close();
});

test("the chat window stays open on the tab's next page, without taking the page's focus, and closed once closed", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const context = await browser.newContext();
  const widget = await watchWidget(await context.newPage());
  const page = widget.page;
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  await widget.send("Is shipping free?");
  await expect(widget.messages.getByTestId("receipt")).toHaveAttribute("data-receipt", "delivered");

  await page.goto(`${site.url}/demo/products.html`);
  await expect(widget.window).toBeVisible();
  await expect(widget.messages.getByTestId("message-text")).toHaveText(["Is shipping free?"]);
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  // The visitor's other tab does not open with it.
  const other = await watchWidget(await context.newPage());
  await other.page.goto(`${site.url}/demo/index.html`);
  await expect(other.launcher).toBeVisible();
  await expect(other.window).toHaveCount(0);

  await widget.window.getByRole("button", { name: "Minimize chat" }).click();
  await page.goto(`${site.url}/demo/index.html`);
  await expect(widget.launcher).toBeVisible();
  await expect(widget.window).toHaveCount(0);
  agent.close();
});

test("unread messages wait on the launcher until the visitor opens the chat", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${site.url}/demo/index.html`);
  await expect(widget.launcher).toBeVisible();
  const visitor = await agent.waitForVisitor(() => true);
  await agent.say(visitor.id, "Hi! Need a hand?");
  await agent.say(visitor.id, "We ship for free this week.");
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveText("2");
  // Still unread after a reload: nothing was read.
  await widget.page.reload();
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveText("2");
  await widget.open();
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveCount(0);
  await widget.page.reload();
  await expect(widget.launcher).toBeVisible();
  await expect(widget.launcher.getByTestId("unread-badge")).toHaveCount(0);
  agent.close();
});

test("files: images show inline, a file over 10 MB is refused before uploading, the relay's refusals are shown", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/uploads") && request.method() === "POST")
      uploads.push(request.headers()["x-file-name"] ?? "");
  });
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  const input = widget.window.getByTestId("file-input");

  await input.setInputFiles({ name: "pixel ✓.png", mimeType: "image/png", buffer: PIXEL_PNG });
  const image = widget.messages.getByRole("img", { name: "pixel ✓.png" });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute("src", new RegExp(`^${relay.url}/`));
  await expect(widget.messages.getByTestId("receipt")).toHaveAttribute("data-receipt", "delivered");
  const visitor = await agent.waitForVisitor(() => true);
  const history = await agent.history(visitor.id);
  expect(history.find((message) => message.file)?.file).toMatchObject({
    name: "pixel ✓.png",
    type: "image/png",
    image: true,
  });

  await input.setInputFiles({
    name: "huge.png",
    mimeType: "image/png",
    buffer: Buffer.alloc(10 * 1024 * 1024 + 1),
  });
  await expect(widget.window.getByTestId("upload-error")).toHaveText(
    /huge\.png is larger than 10 MB/,
  );
  await widget.window.getByRole("button", { name: "Dismiss" }).click();

  await input.setInputFiles({
    name: "tool.exe",
    mimeType: "application/octet-stream",
    buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]),
  });
  await expect(widget.window.getByTestId("upload-error")).toHaveText(
    /tool\.exe could not be sent: Only images/,
  );
  expect(uploads).toEqual([encodeURIComponent("pixel ✓.png"), "tool.exe"]);
  await expect(widget.messages).toHaveCount(1);
  agent.close();
});

test("nobody online: the offline form says sent only once the relay has it, or the widget hides", async ({
  browser,
  relay,
  site,
}) => {
  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  const form = widget.window.getByTestId("offline-form");
  await form.getByLabel("Name").fill("Ann Lee");
  await form.getByLabel("Email").fill("ann@example");
  await form.getByLabel("Message").fill("Do you deliver to Lisbon?");
  await form.getByRole("button", { name: "Send message" }).click();
  await expect(form.getByText("Please enter a valid email address.")).toBeVisible();
  await form.getByLabel("Email").fill("ann@example.com");
  await form.getByRole("button", { name: "Send message" }).click();
  await expect(widget.window.getByTestId("offline-sent")).toBeVisible();

  expect(await offlineMessages(relay.url)).toMatchObject([
    { email: "ann@example.com", text: "Do you deliver to Lisbon?" },
  ]);

  await setWidgetSettings(relay.url, { whenOffline: "hide" });
  const later = await watchWidget(await (await browser.newContext()).newPage());
  await later.page.goto(`${site.url}/demo/index.html`);
  await expect(later.launcher).toHaveAttribute("hidden", "");
  // An agent comes online: the launcher shows.
  const agent = await connectAgent(relay.url);
  await expect(later.launcher).toBeVisible();
  agent.close();
});
