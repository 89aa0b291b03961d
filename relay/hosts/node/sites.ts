/**
 * Sites from the command line (`npm run site`): created with their first admin, or deleted,
 * either in a stopped node relay's database or through a running relay (a node relay or the
 * Cloudflare host) with a site token signed by the relay's secret (relay/auth/site-tokens.ts).
 */
import { randomId, type SiteAction, signSiteToken } from "../../auth/index.ts";
import type { BootstrapBody } from "../../rooms/site-room.ts";
import { DatabaseInUseError, lockDatabase } from "./database-lock.ts";
import { createRooms, type Rooms, SECRET_META_KEY } from "./rooms-host.ts";
import { readMeta } from "./sqlite-storage.ts";

/** What a site owner gives for a new site; the admin's password is made for them. */
export type NewSite = {
  id: string;
  name: string;
  allowedOrigins: string[];
  admin: { email: string; name: string };
};

/** Why a site was not created or deleted, in words the site owner can act on. */
export class SiteCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SiteCommandError";
  }
}

/**
 * Creates a site and its first admin in the relay's database, with a new random password for
 * the admin, which it returns (it is stored only as a hash). The relay must be stopped: a
 * running relay holds the database and keeps its rooms in memory (ask it instead:
 * {@link createSiteOnRelay}).
 * Rejects with a `SiteCommandError` when the relay is running, the site exists already (or was
 * deleted), the email has an account on another site, or a field is not valid (the message says
 * which).
 *
 * @example
 * const { password } = await createSite("data/parley.sqlite", {
 *   id: "shop", name: "My shop", allowedOrigins: ["https://shop.example"],
 *   admin: { email: "me@shop.example", name: "Ana" },
 * });
 */
export async function createSite(dbPath: string, site: NewSite): Promise<{ password: string }> {
  const password = randomId();
  await withStoppedRelay(dbPath, "create the site", async (rooms) => {
    const body: BootstrapBody = { ...newSiteBody(site, password), onlyIfNew: true };
    const response = await rooms.request(
      "directory",
      "global",
      new Request("https://room/bootstrap", { method: "POST", body: JSON.stringify(body) }),
    );
    if (!response.ok) throw new SiteCommandError(await refusal(response));
  });
  return { password };
}

/**
 * Creates a site and its first admin on the running relay at `relayUrl` (`POST /api/sites`),
 * with a site setup token signed by `secret`, the relay's; the admin's new password is
 * returned. Rejects with a `SiteCommandError` when the relay does not answer or refuses (the
 * message says why).
 *
 * @example
 * const { password } = await createSiteOnRelay("https://chat.shop.example", secret, site);
 */
export async function createSiteOnRelay(
  relayUrl: string,
  secret: string,
  site: NewSite,
): Promise<{ password: string }> {
  const password = randomId();
  await askRelay(relayUrl, secret, site.id, "setup", newSiteBody(site, password));
  return { password };
}

/**
 * Deletes the site `siteId` in the relay's database, as its admin would from the console
 * (`DELETE /api/site`): its accounts and settings at once; its visitors' data once the relay
 * runs again (the site room's alarm). The relay must be stopped (ask it instead:
 * {@link deleteSiteOnRelay}). Rejects with a `SiteCommandError` when the relay is running or
 * there is no such site.
 * @example await deleteSite("data/parley.sqlite", "shop");
 */
export async function deleteSite(dbPath: string, siteId: string): Promise<void> {
  await withStoppedRelay(dbPath, "delete the site", async (rooms) => {
    // The rooms made the relay's secret when they opened the database, if it had none.
    const secret = storedRelaySecret(dbPath) ?? "";
    const request = await siteRequest("https://room/api/sites", secret, siteId, "deletion", {
      confirm: siteId,
    });
    const response = await rooms.request("directory", "global", request);
    if (!response.ok) throw new SiteCommandError(await refusal(response));
  });
}

/**
 * Deletes the site `siteId` on the running relay at `relayUrl` (`DELETE /api/sites`), with a
 * site deletion token signed by `secret`, the relay's. Rejects with a `SiteCommandError` when
 * the relay does not answer or refuses.
 * @example await deleteSiteOnRelay("https://chat.shop.example", secret, "shop");
 */
export async function deleteSiteOnRelay(
  relayUrl: string,
  secret: string,
  siteId: string,
): Promise<void> {
  await askRelay(relayUrl, secret, siteId, "deletion", { confirm: siteId });
}

/**
 * The secret of the node relay on `dbPath`, made on its first start, or undefined before that:
 * what `--relay` signs with when PARLEY_SECRET is not set.
 */
export function storedRelaySecret(dbPath: string): string | undefined {
  return readMeta(dbPath, SECRET_META_KEY);
}

/** Runs `use` on the rooms of the relay's database, which no relay may hold meanwhile. */
async function withStoppedRelay(
  dbPath: string,
  action: string,
  use: (rooms: Rooms) => Promise<void>,
): Promise<void> {
  let lock: { release(): void };
  try {
    lock = lockDatabase(dbPath);
  } catch (error) {
    if (!(error instanceof DatabaseInUseError)) throw error;
    throw new SiteCommandError(
      `A relay is running on ${dbPath}: ${action} through it (--relay and its URL, such as --relay http://localhost:8787), or stop it first`,
    );
  }
  // No sockets: nothing connects meanwhile.
  const rooms = createRooms({ dbPath }, { send() {}, close() {} });
  try {
    await use(rooms);
  } finally {
    await rooms.close();
    lock.release();
  }
}

/** `POST` (setup) or `DELETE` (deletion) `/api/sites` on the relay at `relayUrl`. */
async function askRelay(
  relayUrl: string,
  secret: string,
  siteId: string,
  action: SiteAction,
  body: unknown,
): Promise<void> {
  const url = new URL("/api/sites", relayUrl).href;
  const request = await siteRequest(url, secret, siteId, action, body);
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
    throw new SiteCommandError(`The relay at ${relayUrl} did not answer (${cause})`);
  }
  if (response.status === 401) {
    throw new SiteCommandError(
      `The relay at ${relayUrl} refused the site ${action} token: PARLEY_SECRET is not its secret`,
    );
  }
  if (!response.ok) throw new SiteCommandError(await refusal(response));
}

/** `/api/sites` at `url`, for `action` on the site, with a site token signed by `secret`. */
async function siteRequest(
  url: string,
  secret: string,
  siteId: string,
  action: SiteAction,
  body: unknown,
): Promise<Request> {
  const token = await signSiteToken(secret, siteId, action);
  return new Request(url, {
    method: action === "setup" ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function newSiteBody(site: NewSite, password: string): Omit<BootstrapBody, "onlyIfNew"> {
  return {
    site: { id: site.id, name: site.name, allowedOrigins: site.allowedOrigins },
    admin: { ...site.admin, password },
  };
}

/** The relay's own words for a refusal, or its status when it gave none. */
async function refusal(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? `the relay answered ${response.status}`;
}
