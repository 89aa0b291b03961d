import { log } from "./log.ts";
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

/**
 * Goes on when the demo bootstrap's answer says the demo site exists, or that it cannot be made
 * (409): an admin deleted it (`DELETE /api/site`: the id is not made again) or its admin's email
 * has an account on another site since. The relay then runs without the demo. Throws otherwise.
 */
export async function checkDemoBootstrap(response: Response): Promise<void> {
  if (response.ok) return;
  const text = await response.text();
  if (response.status !== 409) throw new Error(`demo bootstrap failed: ${text}`);
  const { message } = JSON.parse(text) as { message: string };
  log.info("the relay runs without the demo site", { site: DEMO.siteId, why: message });
}
