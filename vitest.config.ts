import { defineConfig } from "vitest/config";

/** Unit tests and relay integration tests; browser end-to-end tests live in e2e/ (Playwright). */
export default defineConfig({
  test: {
    include: ["{protocol,sdk,loader,widget,relay,agent,bench}/**/*.test.{ts,tsx}"],
    environment: "node",
    testTimeout: 15_000,
  },
});
