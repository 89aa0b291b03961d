import { defineConfig, type UserConfig } from "vite";

/**
 * One config, six builds (`vite build --mode X`), run in this order by `npm run build`:
 * - loader: the snippet's `loader.js`, a classic script (IIFE) with no framework;
 * - embed:  the tracking SDK the loader pulls in, `sdk.js` (its chunks named `chunks/sdk-*`);
 * - invitations: `invitations.js`, the invitation rules' evaluator and page watchers, which
 *           sdk.js imports from beside itself only on sites with rules (a build of its own, so
 *           that sdk.js carries no dynamic-import helper and shares no chunk with it);
 * - widget: the chat widget the loader pulls in beside it, `widget.js`; its chunks are named
 *           `chunks/widget-*`, and the ones loaded only on demand (languages other than English,
 *           the emoji picker) `chunks/lazy-*`, so that size-limit can tell them apart;
 * - picker: `pointer.js`, the pointer picker the loader imports in the agent console's frame
 *           (chunks `chunks/pointer-*`);
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
          chunkFileNames: "chunks/sdk-[name]-[hash].js",
        },
      },
    },
  },
  invitations: {
    build: {
      outDir: "dist/public",
      emptyOutDir: false,
      target: browserTarget,
      rollupOptions: {
        input: { invitations: "sdk/invitations/index.ts" },
        preserveEntrySignatures: "exports-only",
        output: { format: "es", entryFileNames: "[name].js" },
      },
    },
  },
  widget: {
    build: {
      outDir: "dist/public",
      emptyOutDir: false,
      target: browserTarget,
      rollupOptions: {
        input: { widget: "widget/embed.ts" },
        preserveEntrySignatures: "exports-only",
        output: {
          format: "es",
          entryFileNames: "[name].js",
          chunkFileNames: (chunk) =>
            `chunks/${chunk.isDynamicEntry ? "lazy" : "widget"}-[name]-[hash].js`,
        },
      },
    },
  },
  picker: {
    build: {
      outDir: "dist/public",
      emptyOutDir: false,
      target: browserTarget,
      rollupOptions: {
        input: { pointer: "loader/picker/index.ts" },
        preserveEntrySignatures: "exports-only",
        output: {
          format: "es",
          entryFileNames: "[name].js",
          chunkFileNames: "chunks/pointer-[name]-[hash].js",
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
      // The rooms thread's entry sits beside main.js, which starts it (rooms-thread.ts).
      ssr: true,
      outDir: "dist/relay",
      emptyOutDir: true,
      target: "node20",
      rollupOptions: {
        input: {
          main: "relay/hosts/node/main.ts",
          site: "relay/hosts/node/site-command.ts",
          "rooms-worker": "relay/hosts/node/rooms-worker.ts",
        },
        output: { entryFileNames: "[name].js", chunkFileNames: "[name].js" },
      },
    },
  },
};

export default defineConfig(({ mode }) => {
  const build = builds[mode];
  if (build) return build;
  throw new Error(`vite: unknown mode "${mode}"; use one of ${Object.keys(builds).join(", ")}`);
});
