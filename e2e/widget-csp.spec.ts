import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import { strictPolicy } from "./host-site.ts";
import { watchWidget } from "./widget-page.ts";

test("the widget works on a page whose CSP forbids inline scripts, inline styles and eval", async ({
  browser,
  relay,
  site,
}) => {
  // An agent is online: the window offers the chat, not the offline form.
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  const response = await page.goto(`${site.url}/demo/csp.html`);
  expect(response?.headers()["content-security-policy"]).toBe(strictPolicy(relay.url));

  // The facade shows at once; the widget replaces it once loaded, styled by its own sheet.
  await expect(widget.launcher).toBeVisible();
  await expect(widget.launcher).toHaveCSS("position", "fixed");
  await widget.open();
  // The demo site asks for a name and an email, both optional, before the first message.
  const prechat = widget.window.getByTestId("prechat-form");
  await expect(prechat.getByLabel("Name")).toBeFocused();
  await prechat.getByLabel("Name").fill("Ann");
  await prechat.getByRole("button", { name: "Start the chat" }).click();
  await expect(widget.composer).toBeFocused();
  await expect(widget.window).toHaveCSS("background-color", "rgb(255, 255, 255)");

  await widget.send("Hello from a locked-down checkout");
  const message = widget.messages.filter({ hasText: "Hello from a locked-down checkout" });
  await expect(message).toHaveCount(1);
  // Delivered: the relay stored it and said so over the socket the policy allows.
  await expect(message.getByTestId("receipt")).toHaveAttribute("data-receipt", /delivered|read/);

  // The emoji picker is a chunk of its own: loading it is allowed too.
  await widget.window.getByRole("button", { name: "Insert an emoji" }).click();
  await widget.window.getByTestId("emoji-picker").getByRole("button", { name: "👍" }).click();
  await expect(widget.composer).toHaveValue("👍");

  expect(await widget.violations()).toEqual([]);

  // The policy is really enforced, and a violation would have been seen: an inline style is refused.
  await page.evaluate(() => {
    const style = document.createElement("style");
    style.textContent = "body { color: red }";
    document.head.append(style);
  });
  await expect.poll(() => widget.violations()).toContainEqual(expect.stringContaining("style-src"));
  agent.close();
});
