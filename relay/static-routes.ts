/**
 * What the relay serves besides its API and sockets, on every host: the demo shop at /demo/,
 * the agent console at /agent/ and the bundles at the root, each with its headers and caching.
 * The node host reads the files from disk; the Cloudflare host from its static assets, laid out
 * as the URLs are.
 */
export type StaticRoute = {
  prefix: string;
  /** Where its files come from: the demo pages (`demo/`), or a folder of the built bundles. */
  source: { demo: true } | { built: string };
  /** Extra headers, e.g. CORS for bundles that host pages import, or a CSP for the console. */
  headers?: Record<string, string>;
  /** Paths under the prefix whose files never change (content-hashed names). */
  immutable?: RegExp;
  /** Seconds the other files may be used without asking again; by default always ask. */
  maxAge?: number;
};

const cors = { "access-control-allow-origin": "*" };

/**
 * The routes, the first matching prefix wins. The bundles are imported by host pages on other
 * origins (module scripts need CORS); the console gets a strict CSP (frames of any web page:
 * the pointer shows the visitor's page); content-hashed files are cached for good.
 */
export const STATIC_ROUTES: readonly StaticRoute[] = [
  { prefix: "/demo/", source: { demo: true } },
  {
    prefix: "/agent/",
    source: { built: "agent" },
    immutable: /^assets\//,
    headers: {
      "content-security-policy":
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-src http: https:; frame-ancestors 'none'",
      "referrer-policy": "same-origin",
    },
  },
  { prefix: "/chunks/", source: { built: "chunks" }, immutable: /./, headers: cors },
  // loader.js and sdk.js keep their names across releases: host pages may use them for five
  // minutes without asking, so a release reaches every page within five minutes.
  { prefix: "/", source: { built: "" }, headers: cors, maxAge: 300 },
];

/** The `Cache-Control` of a file at `relative` (its path under the route's prefix). */
export function cacheControl(
  route: Pick<StaticRoute, "immutable" | "maxAge">,
  relative: string,
): string {
  if (route.immutable?.test(relative)) return "public, max-age=31536000, immutable";
  return route.maxAge ? `public, max-age=${route.maxAge}` : "no-cache";
}
