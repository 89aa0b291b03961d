import { test as base, type Page } from "@playwright/test";
import { DEMO } from "../relay/demo-site.ts";
import { type HostSite, startHostSite } from "./host-site.ts";
import { type RelayProcess, startRelayProcess } from "./relay-process.ts";

export { expect } from "@playwright/test";

/**
 * Every test gets its own relay process on a free port with a fresh database, and, when it asks
 * for `site`, the demo shop on its own origin embedding that relay's snippet.
 */
export const test = base.extend<{ relay: RelayProcess; site: HostSite; ownContexts: undefined }>({
  // Contexts a test opens itself (browser.newContext()) close with it: left open, their pages
  // kept reconnecting to relays that had stopped, and slowed every later test of the run.
  ownContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use(undefined);
      await Promise.all(
        browser
          .contexts()
          .filter((context) => !before.has(context))
          .map((context) => context.close()),
      );
    },
    { auto: true },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies first
  relay: async ({}, use) => {
    const relay = await startRelayProcess();
    await use(relay);
    await relay.stop();
  },
  site: async ({ relay }, use) => {
    const site = await startHostSite(relay.url);
    await use(site);
    await site.close();
  },
});

/** Signs an agent (the demo admin unless told) in to the agent console and waits until it is live. */
export async function signInToConsole(
  page: Page,
  relayUrl: string,
  account: { email: string; password: string } = DEMO,
): Promise<void> {
  await page.goto(`${relayUrl}/agent/`);
  await page.getByTestId("login-email").fill(account.email);
  await page.getByTestId("login-password").fill(account.password);
  await page.getByTestId("login-submit").click();
  await page
    .getByTestId("connection-status")
    .and(page.locator('[data-state="connected"]'))
    .waitFor();
}
