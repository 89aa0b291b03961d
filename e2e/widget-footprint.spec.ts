import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import { watchWidget } from "./widget-page.ts";

test("the snippet loads no time-zone data on the host page until the chat shows a message", async ({
  browser,
  relay,
}) => {
  // The page's first Intl.DateTimeFormat loads Chromium's time-zone data: some 30 ms of the
  // host page's main thread. Counted from before any script of the page runs.
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext({ timezoneId: "America/Sao_Paulo" })).newPage();
  await page.addInitScript(() => {
    const made = { count: 0 };
    (window as unknown as { __dateFormats: typeof made }).__dateFormats = made;
    Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, {
      construct(target, args) {
        made.count += 1;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        made.count += 1;
        return Reflect.apply(target, self, args);
      },
    });
  });
  const dateFormats = () =>
    page.evaluate(
      () => (window as unknown as { __dateFormats: { count: number } }).__dateFormats.count,
    );
  const widget = await watchWidget(page);
  await page.goto(`${relay.url}/demo/`);

  // The tracker has sent the visit (with the device's UTC offset) and the widget has mounted.
  const visitor = await agent.waitForVisitor((entry) => entry.visit !== null);
  expect(visitor.visit?.utcOffset).toBe(-180);
  await expect(widget.launcher).toBeVisible();
  await widget.open();
  const prechat = widget.window.getByTestId("prechat-form");
  await prechat.getByRole("button", { name: "Start the chat" }).click();
  await expect(widget.composer).toBeFocused();
  expect(await dateFormats()).toBe(0);

  // A message shows its time: then the format is made, once.
  await widget.send("Do you ship to Brazil?");
  await expect(widget.messages.filter({ hasText: "Do you ship to Brazil?" })).toHaveCount(1);
  expect(await dateFormats()).toBe(1);
  agent.close();
});
