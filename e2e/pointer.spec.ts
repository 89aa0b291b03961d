import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "@playwright/test";
import { POINTER_FRAME_NAME } from "../protocol/index.ts";
import { connectAgent, loginDemoAgent } from "./agent-client.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import { NO_PRECHAT, setWidgetSettings, watchWidget } from "./widget-page.ts";

/**
 * A visitor of the shop (on its own origin) at `url` who writes `text`; resolves once the
 * relay knows the page, so the console's chat carries it.
 */
async function visitorAsks(browser: Browser, relayUrl: string, url: string, text: string) {
  await setWidgetSettings(relayUrl, { prechat: NO_PRECHAT });
  const agent = await connectAgent(relayUrl);
  const visitor = await watchWidget(await (await browser.newContext()).newPage());
  await visitor.page.setViewportSize({ width: 1000, height: 600 });
  await visitor.page.goto(url);
  await visitor.open();
  await visitor.send(text);
  await agent.waitForVisitor((entry) => entry.page?.url === url);
  return { agent, visitor };
}

/** Opens the visitor's chat in the console, takes it, and presses Pointer. */
async function openPointer(console: Page) {
  await console.getByTestId("nav-chats").click();
  await console.getByTestId("chat-row").getByRole("button").first().click();
  const conversation = console.getByTestId("conversation");
  await conversation.getByTestId("conversation-accept").click();
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");
  await conversation.getByTestId("conversation-pointer").click();
  return console.getByTestId("pointer-panel");
}

test("an agent points at an element from the console; the visitor's Show outlines it, with the comment beside it", async ({
  browser,
  page: console,
  relay,
  site,
}) => {
  const productUrl = `${site.url}/demo/products/mug.html`;
  const { agent, visitor } = await visitorAsks(
    browser,
    relay.url,
    productUrl,
    "How do I buy this mug?",
  );

  await signInToConsole(console, relay.url);
  const panel = await openPointer(console);
  await expect(panel.getByTestId("pointer-url")).toHaveText(productUrl);
  // The loader in the frame greets the console, gets the token, and the picker runs.
  await expect(panel).toHaveAttribute("data-phase", "picking");
  const frame = console.frameLocator('[data-testid="pointer-frame"]');
  await expect(frame.locator("parley-pointer")).toBeAttached();
  // The agent's framed view is not a visitor: no facade, no widget, no tracking.
  await expect(frame.locator("parley-chat")).toHaveCount(0);

  // The keyboard picks too: Enter on a focused link picks it, and the link is not followed.
  const shipping = frame.getByRole("link", { name: "Shipping details" });
  const focusOutline = frame.locator("parley-pointer .box:not(.picked)");
  await expect(focusOutline).toBeHidden();
  await shipping.focus();
  await expect(focusOutline).toBeVisible();
  await shipping.press("Enter");
  await expect(panel).toHaveAttribute("data-phase", "picked");
  await expect(panel.getByTestId("pointer-target")).toHaveText("a “Shipping details”");
  await expect(frame.getByRole("heading", { name: "Stoneware mug" })).toBeVisible();

  // Clicking picks: the link is not followed.
  const button = frame.getByRole("link", { name: "Add to cart" });
  await button.hover();
  await button.click();
  await expect(panel).toHaveAttribute("data-phase", "picked");
  await expect(panel.getByTestId("pointer-target")).toHaveText("a “Add to cart”");
  await expect(frame.getByRole("heading", { name: "Stoneware mug" })).toBeVisible();
  await panel.getByTestId("pointer-comment").fill("Press this button to buy it");
  await panel.getByTestId("pointer-send").click();
  await expect(panel).toHaveCount(0);
  const sent = console.getByTestId("conversation").getByTestId("message-pointer");
  await expect(sent).toContainText("Points at a “Add to cart”");
  expect([...agent.roster.keys()]).toHaveLength(1);

  // The visitor gets the comment with Show; the page has shifted meanwhile.
  const message = visitor.messages.filter({ hasText: "Press this button to buy it" });
  await expect(message.getByTestId("pointer-show")).toBeVisible();
  await visitor.page.evaluate(() => {
    const banner = document.createElement("p");
    banner.textContent = "Free shipping this week";
    banner.style.height = "900px";
    document.querySelector(".actions")?.before(banner);
  });
  await message.getByTestId("pointer-show").click();
  const spotlight = visitor.host.getByTestId("spotlight");
  await expect(spotlight).toBeVisible();
  await expect(spotlight.getByTestId("spotlight-comment")).toHaveText(
    "Press this button to buy it",
  );
  // The chat window steps aside, so it cannot cover the element.
  await expect(visitor.window).toBeHidden();
  // The element is scrolled into view, and the outline surrounds it.
  const target = visitor.page.getByRole("link", { name: "Add to cart" });
  const outline = spotlight.getByTestId("spotlight-outline");
  await expect
    .poll(() =>
      target.evaluate((element) => {
        const { top, bottom } = element.getBoundingClientRect();
        return top >= 0 && bottom <= innerHeight;
      }),
    )
    .toBe(true);
  await expect
    .poll(async () => {
      const [element, box] = await Promise.all([target.boundingBox(), outline.boundingBox()]);
      if (!element || !box) return null;
      return [
        box.x - element.x,
        box.y - element.y,
        box.width - element.width,
        box.height - element.height,
      ].map(Math.round);
    })
    .toEqual([-4, -4, 8, 8]);
  // The rest of the page is dimmed.
  expect(await outline.evaluate((element) => getComputedStyle(element).boxShadow)).toContain(
    "rgba(0, 0, 0, 0.55)",
  );

  // It follows the page: after a scroll the outline is still on the element.
  await visitor.page.mouse.wheel(0, 120);
  await expect
    .poll(async () => {
      const [element, box] = await Promise.all([target.boundingBox(), outline.boundingBox()]);
      return element && box ? Math.round(box.y - element.y) : null;
    })
    .toBe(-4);
  await visitor.page.keyboard.press("Escape");
  await expect(spotlight).toHaveCount(0);
  await expect(visitor.window).toBeVisible();
  await expect(message.getByTestId("pointer-show")).toBeFocused();
  // A click anywhere dismisses it too.
  await message.getByTestId("pointer-show").click();
  await expect(spotlight).toBeVisible();
  await visitor.page.mouse.click(5, 300);
  await expect(spotlight).toHaveCount(0);

  // Gone from the page: a clear message instead.
  await target.evaluate((element) => element.remove());
  await message.getByTestId("pointer-show").click();
  await expect(message.getByTestId("pointer-problem")).toHaveAttribute("data-problem", "gone");
  await expect(spotlight).toHaveCount(0);

  // On another page: a clear message, with a link to the page.
  await visitor.page.goto(`${site.url}/demo/cart.html`);
  // The window was open: it stays open on the tab's next page.
  await expect(visitor.window).toBeVisible();
  const again = visitor.messages.filter({ hasText: "Press this button to buy it" });
  await again.getByTestId("pointer-show").click();
  const problem = again.getByTestId("pointer-problem");
  await expect(problem).toHaveAttribute("data-problem", "otherPage");
  await expect(problem.getByRole("link")).toHaveAttribute("href", productUrl);
  agent.close();
});

test("the picker and the spotlight work on a page whose CSP forbids inline styles and scripts", async ({
  browser,
  page: console,
  relay,
  site,
}) => {
  const { agent, visitor } = await visitorAsks(
    browser,
    relay.url,
    `${site.url}/demo/csp.html`,
    "Which field is the postcode?",
  );
  const consoleViolations: string[] = [];
  console.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text()))
      consoleViolations.push(message.text());
  });
  await signInToConsole(console, relay.url);
  const panel = await openPointer(console);
  await expect(panel).toHaveAttribute("data-phase", "picking");
  const frame = console.frameLocator('[data-testid="pointer-frame"]');
  const heading = frame.getByRole("heading", { name: "Checkout" });
  await heading.hover();
  // The picker's outline is styled by its own sheet and placed through the CSSOM.
  const hover = frame.locator("parley-pointer").locator(".box").first();
  await expect(hover).toHaveCSS("position", "fixed");
  await expect(hover).toHaveCSS("border-top-style", "dashed");
  await expect(hover).toBeVisible();
  await heading.click();
  await expect(panel.getByTestId("pointer-target")).toHaveText("h1 “Checkout”");
  await panel.getByTestId("pointer-comment").fill("You are here");
  await panel.getByTestId("pointer-send").click();

  const message = visitor.messages.filter({ hasText: "You are here" });
  await message.getByTestId("pointer-show").click();
  const outline = visitor.host.getByTestId("spotlight-outline");
  await expect(outline).toHaveCSS("position", "fixed");
  const target = visitor.page.getByRole("heading", { name: "Checkout" });
  await expect
    .poll(async () => {
      const [element, box] = await Promise.all([target.boundingBox(), outline.boundingBox()]);
      return element && box ? Math.round(box.x - element.x) : null;
    })
    .toBe(-4);
  expect(await visitor.violations()).toEqual([]);
  expect(consoleViolations).toEqual([]);
  agent.close();
});

test("the picker ignores a handshake from any origin but the relay's, even with a good token", async ({
  page,
  relay,
  site,
}) => {
  const { token: session } = await loginDemoAgent(relay.url);
  const issued = await fetch(`${relay.url}/api/pointer`, {
    method: "POST",
    headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
    body: JSON.stringify({ chatId: "visitor-foreign-0001" }),
  });
  const { token } = (await issued.json()) as { token: string };
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  // A page on a foreign origin frames the shop under the console's frame name.
  const frameName = POINTER_FRAME_NAME;
  const foreign = createServer((_, res) =>
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<iframe name="${frameName}" src="${site.url}/demo/products/mug.html"></iframe>`),
  );
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
  const frame = page.frame({ name: frameName });
  if (!frame) throw new Error("no frame");
  await expect.poll(() => frame.evaluate(() => "parley" in window)).toBe(true);

  // The foreign page greets the loader as the console would; then sends a second message that
  // the frame waits for: messages from one window arrive in order, so the loader has had the
  // greeting by then.
  const delivered = frame.evaluate(
    () =>
      new Promise<void>((resolve) =>
        addEventListener("message", (event) => event.data === "after" && resolve()),
      ),
  );
  await page.evaluate(
    ({ token }) => {
      const target = document.querySelector("iframe")?.contentWindow;
      target?.postMessage({ source: "parley", method: "pointer:start", token }, "*");
      target?.postMessage("after", "*");
    },
    { token },
  );
  await delivered;
  await expect(page.frameLocator("iframe").locator("parley-pointer")).toHaveCount(0);
  expect(requests.filter((url) => /pointer\.js|\/api\/pointer\/verify/.test(url))).toEqual([]);
  // Nor does the framed shop become a tracked visitor.
  expect(requests.filter((url) => /sdk\.js|widget\.js/.test(url))).toEqual([]);
  foreign.close();
});

test("the picker does not run with a token the relay refuses, even from the console's origin", async ({
  page,
  relay,
  site,
}) => {
  await page.goto(`${relay.url}/agent/`);
  // On the console's origin, frame the shop and answer its loader with a forged token.
  const answer = await page.evaluate(
    ({ url, name }) =>
      new Promise<unknown>((resolve) => {
        const frame = document.createElement("iframe");
        frame.name = name;
        frame.src = url;
        addEventListener("message", (event) => {
          if (event.source !== frame.contentWindow) return;
          if (event.data?.method === "pointer:ready") {
            const forged = "eyJzaXRlSWQiOiJkZW1vIn0.AAAA";
            frame.contentWindow?.postMessage(
              { source: "parley", method: "pointer:start", token: forged },
              new URL(url).origin,
            );
          } else resolve(event.data);
        });
        document.body.append(frame);
      }),
    { url: `${site.url}/demo/products/mug.html`, name: POINTER_FRAME_NAME },
  );
  expect(answer).toMatchObject({ source: "parley", method: "pointer:refused" });
  await expect(
    page.frameLocator(`iframe[name="${POINTER_FRAME_NAME}"]`).locator("parley-pointer"),
  ).toHaveCount(0);
});

test("a page that refuses to be framed shows the agent why the pointer cannot open it", async ({
  browser,
  page: console,
  relay,
  site,
}) => {
  // The checkout refuses to be framed (see host-site.ts).
  const { agent } = await visitorAsks(
    browser,
    relay.url,
    `${site.url}/demo/cart.html?noframe`,
    "Why can't I pay?",
  );

  await signInToConsole(console, relay.url);
  const panel = await openPointer(console);
  await expect(panel).toHaveAttribute("data-phase", "silent", { timeout: 20_000 });
  await expect(panel.getByTestId("pointer-status")).toContainText("X-Frame-Options");
  await expect(panel.getByTestId("pointer-status")).toContainText("login");
  await panel.getByTestId("pointer-close").click();
  await expect(panel).toHaveCount(0);
  agent.close();
});
