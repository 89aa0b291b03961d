import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (unit tests and relay integration tests) and `conformance` (the same
 * scenarios against the node host and the Cloudflare host, relay/conformance). Browser
 * end-to-end tests live in e2e/ (Playwright).
 */
export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{protocol,sdk,loader,widget,relay,agent,bench}/**/*.test.{ts,tsx}"],
          exclude: ["relay/conformance/**"],
        },
      },
      {
        extends: true,
        test: { name: "conformance", include: ["relay/conformance/**/*.test.ts"] },
      },
    ],
  },
});
