import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium-launch.ts";

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser). Each test starts its own
 * relay from the built bundle (`npm run build` first) on a free port with a fresh database.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: "list",
  use: {
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions,
    trace: "off",
  },
});
