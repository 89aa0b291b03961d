import { test as base } from "@playwright/test";
import { type RelayProcess, startRelayProcess } from "./relay-process.ts";

export { expect } from "@playwright/test";

/** Every test gets its own relay process on a free port with a fresh database. */
export const test = base.extend<{ relay: RelayProcess }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies first
  relay: async ({}, use) => {
    const relay = await startRelayProcess();
    await use(relay);
    await relay.stop();
  },
});
