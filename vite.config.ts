import { defineConfig, type UserConfig } from "vite";

/**
 * One config, four builds (`vite build --mode X`), run in this order by `npm run build`:
 * - loader: the snippet's `loader.js`, a classic script (IIFE) with no framework;
 * - embed:  what the loader pulls in (`sdk.js`, later the widget), ES modules sharing chunks;
 * - agent:  the agent console, a Preact app served at `/agent/`;
 * - relay:  the node host, bundled for Node with its npm dependencies left external.
 * Browser bundles go to dist/public, which the relay serves; the relay goes to dist/relay.
 */
const browserTarget = "es2022";

const builds: Record<string, UserConfig> = {
  loader: {
    build: {
      outDir: "dist/public",
      emptyOutDir: true,
      target: browserTarget,
      lib: {
        entry: "loader/index.ts",
        formats: ["iife"],
        name: "parleyLoader",
        fileName: () => "loader.js",
      },
    },
  },
  embed: {
    build: {
      outDir: "dist/public",
      emptyOutDir: false,
      target: browserTarget,
      rollupOptions: {
        input: { sdk: "sdk/embed.ts" },
        preserveEntrySignatures: "exports-only",
        output: {
          format: "es",
          entryFileNames: "[name].js",
          chunkFileNames: "chunks/[name]-[hash].js",
        },
      },
    },
  },
  agent: {
    root: "agent",
    base: "/agent/",
    build: { outDir: "../dist/public/agent", emptyOutDir: true, target: browserTarget },
  },
  relay: {
    build: {
      ssr: "relay/hosts/node/main.ts",
      outDir: "dist/relay",
      emptyOutDir: true,
      target: "node20",
      rollupOptions: { output: { entryFileNames: "main.js" } },
    },
  },
};

export default defineConfig(({ mode }) => {
  const build = builds[mode];
  if (build) return build;
  throw new Error(`vite: unknown mode "${mode}"; use one of ${Object.keys(builds).join(", ")}`);
});
