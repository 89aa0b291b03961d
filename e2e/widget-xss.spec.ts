import { connectAgent } from "./agent-client.ts";
import { failOnDialog } from "./console-chat.ts";
import { expect, test } from "./fixtures.ts";
import { NO_PRECHAT, setWidgetSettings, watchWidget } from "./widget-page.ts";

const HOSTILE = [
  "<script>alert('script')</script>",
  "<img src=x onerror=\"alert('img')\">",
  "javascript:alert('scheme')",
  "<a href=\"javascript:alert('link')\">click me</a> and [also](javascript:alert('md'))",
  "<svg onload=alert('svg')></svg><iframe src=\"javascript:alert('frame')\"></iframe>",
  // Long text in many scripts, a right-to-left override, zero-width joiners and emoji.
  `${"Ω≈ç√∫˜µ≤≥÷ 田中さん Привет مرحبا \u202Eevil\u202C 👩‍👩‍👧‍👦 ".repeat(90)}end`,
];

test("hostile messages from a visitor (and back from an agent) are shown as text, even stored", async ({
  browser,
  relay,
  site,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const { dialogs } = failOnDialog(page);
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  for (const text of HOSTILE) {
    await widget.send(text);
    await expect(
      widget.messages.filter({ hasText: text.slice(0, 40) }).getByTestId("receipt"),
    ).toHaveAttribute("data-receipt", "delivered");
  }
  const visitor = await agent.waitForVisitor(() => true);
  // An agent quoting it back, with one honest link.
  await agent.say(visitor.id, `${HOSTILE[1]} see https://shop.test/help?a=1&b=2.`);

  const texts = widget.messages.getByTestId("message-text");
  const check = async () => {
    await expect(texts).toHaveCount(HOSTILE.length + 1);
    for (const [index, text] of HOSTILE.entries()) await expect(texts.nth(index)).toHaveText(text);
    const log = widget.window.getByTestId("messages");
    await expect(log.locator("script, img, svg:not(.icon), iframe")).toHaveCount(0);
    // Only the http(s) address became a link.
    const links = log.locator("a");
    await expect(links).toHaveCount(1);
    await expect(links).toHaveAttribute("href", "https://shop.test/help?a=1&b=2");
    await expect(links).toHaveAttribute("rel", "noopener noreferrer");
    await expect(links).toHaveAttribute("target", "_blank");
  };
  await check();

  // Stored: a new page load renders the history from the relay the same way.
  await page.reload();
  // The window was open: it stays open on the tab's next page.
  await expect(widget.window).toBeVisible();
  await check();
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  agent.close();
});
