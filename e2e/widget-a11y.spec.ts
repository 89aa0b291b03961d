import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import { connectAgent } from "./agent-client.ts";
import { expect, test } from "./fixtures.ts";
import { parley, watchWidget } from "./widget-page.ts";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** What axe-core finds wrong in the widget (its shadow tree included), one line per node. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window)))
    await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(
          context: Element | null,
          options: object,
        ): Promise<{
          violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
        }>;
      };
    };
    const { violations } = await axe.run(document.querySelector("parley-chat"), {
      resultTypes: ["violations"],
    });
    return violations.flatMap((violation) =>
      violation.nodes.map(
        (node) => `${violation.id}: ${JSON.stringify(node.target)} ${node.failureSummary ?? ""}`,
      ),
    );
  });
}

test("axe-core finds nothing wrong in the open chat window: pre-chat form, conversation, offline form", async ({
  browser,
  relay,
  site,
}) => {
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();

  // The demo site asks for a name and an email before the first message.
  const prechat = widget.window.getByTestId("prechat-form");
  await expect(prechat).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await prechat.getByLabel("Email").fill("not an email");
  await prechat.getByRole("button", { name: "Start the chat" }).click();
  await expect(prechat.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(prechat.getByLabel("Email")).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);
  await prechat.getByLabel("Email").fill("ann@example.com");
  await prechat.getByRole("button", { name: "Start the chat" }).click();

  // A conversation: the visitor's message with its mark, the agent's reply, the agent typing.
  await widget.send("Hello, is the lamp in stock? https://shop.test/lamp");
  await expect(widget.messages.getByTestId("receipt")).toHaveAttribute("data-receipt", "delivered");
  const visitor = await agent.waitForVisitor(() => true);
  await agent.say(visitor.id, "Hi Ann, it is!");
  agent.typing(visitor.id, true);
  await expect(widget.window.getByTestId("agent-typing")).toContainText("is typing");
  await widget.window.getByRole("button", { name: "Insert an emoji" }).click();
  const picker = widget.window.getByTestId("emoji-picker");
  await expect(picker).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  // One tab stop; arrows move through the grid of eight columns, Home and End to its ends.
  const emoji = (name: string) => picker.getByRole("button", { name, exact: true });
  await expect(emoji("😀")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(emoji("😃")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(emoji("😊")).toBeFocused();
  await page.keyboard.press("End");
  await expect(emoji("🌈")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(emoji("😀")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(widget.window.getByTestId("emoji-picker")).toBeHidden();
  await expect(widget.window).toBeVisible();

  agent.close();

  // Nobody online: a new visitor gets the offline form, here with its errors shown.
  const later = await (await browser.newContext()).newPage();
  const other = await watchWidget(later);
  await later.goto(`${site.url}/demo/index.html`);
  await other.open();
  const offline = other.window.getByTestId("offline-form");
  await expect(offline).toBeVisible();
  await offline.getByRole("button", { name: "Send message" }).click();
  await expect(offline.getByLabel("Message")).toHaveAttribute("aria-invalid", "true");
  expect(await axeViolations(later)).toEqual([]);
});

test("the keyboard opens the chat, moves focus into it, and Escape brings focus back", async ({
  browser,
  relay,
  site,
}) => {
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.launcher.focus();
  await page.keyboard.press("Enter");
  await expect(widget.window).toBeVisible();
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "true");
  await expect(widget.window.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(widget.window).toBeHidden();
  await expect(widget.launcher).toBeFocused();
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "false");
  agent.close();
});

test("dismissing an invitation's card, by keyboard or pointer, leaves focus on the launcher", async ({
  browser,
  relay,
  site,
}) => {
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await expect(widget.launcher).toBeVisible();
  const dismiss = widget.invitation.getByTestId("invitation-dismiss");

  await parley(page, "invite", "Need a hand choosing a lamp?");
  await dismiss.focus();
  await page.keyboard.press("Enter");
  await expect(widget.invitation).toHaveCount(0);
  await expect(widget.launcher).toBeFocused();

  await page.locator("body").click();
  await parley(page, "invite", "Still looking?");
  await dismiss.click();
  await expect(widget.invitation).toHaveCount(0);
  await expect(widget.launcher).toBeFocused();
  agent.close();
});

test("focus follows the window's form when the site's settings arrive after it opened", async ({
  browser,
  relay,
}) => {
  const agent = await connectAgent(relay.url);
  const page = await (await browser.newContext()).newPage();
  // The relay's frames (welcome with the settings) wait until the visitor has opened the chat.
  let holding = true;
  const held: (string | Buffer)[] = [];
  let release = () => {};
  await page.routeWebSocket(/\/parties\/visitor\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => (holding ? held.push(message) : ws.send(message)));
    release = () => {
      holding = false;
      for (const message of held.splice(0)) ws.send(message);
    };
  });
  const widget = await watchWidget(page);
  await page.goto(`${relay.url}/demo/`);
  await widget.open();
  await expect(widget.composer).toBeFocused();
  release();
  // The site asks for the pre-chat form: it replaces the composer, and focus goes with it.
  await expect(widget.window.getByLabel("Name")).toBeFocused();
  agent.close();
});

test("under 480 px wide the chat window fills the screen", async ({ browser, site }) => {
  const page = await (
    await browser.newContext({ viewport: { width: 375, height: 667 } })
  ).newPage();
  const widget = await watchWidget(page);
  await page.goto(`${site.url}/demo/index.html`);
  await widget.open();
  await expect
    .poll(async () => {
      const box = await widget.window.boundingBox();
      return box && [box.x, box.y, box.width, box.height].map(Math.round);
    })
    .toEqual([0, 0, 375, 667]);
  await expect(widget.launcher).toBeHidden();
  // The page behind is covered: Tab and Shift+Tab go round the window and never leave it.
  const inWidget = () => page.evaluate(() => document.activeElement?.localName === "parley-chat");
  for (const key of [...Array(12).fill("Tab"), ...Array(12).fill("Shift+Tab")]) {
    await page.keyboard.press(key);
    expect(await inWidget()).toBe(true);
  }
  await widget.window.getByRole("button", { name: "Minimize chat" }).click();
  await expect(widget.launcher).toBeVisible();
});
