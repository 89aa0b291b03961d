import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev, type WranglerDev } from "../relay/hosts/cloudflare/dev-server.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import { NO_PRECHAT, setWidgetSettings, watchWidget } from "./widget-page.ts";

/**
 * The whole product on the Cloudflare host (wrangler dev, offline): the demo shop's snippet,
 * the widget and the tracker from the Worker's assets, the console, and the rooms as Durable
 * Objects, in Chromium.
 */
let cloudflare: WranglerDev;
let persistTo: string;

test.beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), "parley-e2e-cloudflare-"));
  const secret = randomBytes(24).toString("hex");
  cloudflare = await startWranglerDev({ persistTo, secret, demo: true });
});

test.afterAll(async () => {
  await cloudflare?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

test("on the Cloudflare host, an agent watches a visitor browse and chats with them", async ({
  browser,
}) => {
  const url = cloudflare.url;
  await setWidgetSettings(url, { prechat: NO_PRECHAT });
  const agent = await (await browser.newContext()).newPage();
  await signInToConsole(agent, url);

  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${url}/demo/?utm_source=newsletter&utm_medium=email`);
  const row = agent.getByTestId("visitor-row");
  await expect(row.getByTestId("visitor-page-title")).toHaveText("Home · Parley Demo Shop");
  await expect(row.getByTestId("visitor-source")).toContainText("newsletter");
  await widget.page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Products" })
    .click();
  await expect(row.getByTestId("visitor-page-title")).toHaveText("Products · Parley Demo Shop");
  await row.click();
  await expect(agent.getByTestId("trail").getByTestId("pageview-title")).toHaveText([
    "Home · Parley Demo Shop",
    "Products · Parley Demo Shop",
  ]);

  await widget.open();
  await widget.send("Do you ship to Oslo?");
  await agent.getByTestId("nav-chats").click();
  await agent.getByTestId("chat-row-accept").click();
  const conversation = agent.getByTestId("conversation");
  await expect(conversation.getByTestId("message-text").first()).toHaveText("Do you ship to Oslo?");
  const input = agent.getByTestId("composer-input");
  await input.fill("Yes, in three days.");
  await input.press("Enter");
  await expect(widget.messages.getByTestId("message-text")).toHaveText([
    "Do you ship to Oslo?",
    "Yes, in three days.",
  ]);
  expect(await widget.violations()).toEqual([]);
});
