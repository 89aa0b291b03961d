import type { BootstrapBody } from "./rooms/index.ts";

/**
 * The demo site and admin that every `npm start` (and a Cloudflare deployment with
 * `PARLEY_DEMO=on`) makes sure exist; the README shows them.
 */
export const DEMO = {
  siteId: "demo",
  siteName: "Parley Demo Shop",
  email: "admin@parley.test",
  name: "Demo Admin",
  password: "parley-demo",
} as const;

/**
 * The directory room's internal request that makes sure the demo site and its admin exist,
 * with `origins` among the site's allowed origins (a site that exists gets the ones it lacks).
 */
export function demoBootstrapRequest(origins: string[]): Request {
  const body: BootstrapBody = {
    site: { id: DEMO.siteId, name: DEMO.siteName, allowedOrigins: [...new Set(origins)] },
    admin: { email: DEMO.email, name: DEMO.name, password: DEMO.password },
  };
  return new Request("https://room/bootstrap", { method: "POST", body: JSON.stringify(body) });
}
