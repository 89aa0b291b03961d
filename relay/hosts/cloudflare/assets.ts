/**
 * `npm run cloudflare:assets`: lays out the Worker's static assets in dist/cloudflare as its
 * URLs are (relay/static-routes.ts): the built bundles and console from dist/public at the
 * root, the demo shop at demo/. Run after `npm run build`.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root, from this file run as TypeScript (tsx) rather than bundled. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where wrangler.jsonc takes the assets from. */
const assetsDir = join(projectRoot, "dist/cloudflare");

export function assembleAssets(): void {
  const built = join(projectRoot, "dist/public");
  if (!existsSync(join(built, "loader.js"))) {
    throw new Error("dist/public has no bundles: run npm run build first");
  }
  rmSync(assetsDir, { recursive: true, force: true });
  cpSync(built, assetsDir, { recursive: true });
  cpSync(join(projectRoot, "demo"), join(assetsDir, "demo"), { recursive: true });
}

if (import.meta.url === `file://${process.argv[1]}`) assembleAssets();
