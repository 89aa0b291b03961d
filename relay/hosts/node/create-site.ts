import { randomId, signSiteSetupToken } from "../../auth/index.ts";
import type { BootstrapBody } from "../../rooms/site-room.ts";
import { DatabaseInUseError, lockDatabase } from "./database-lock.ts";
import { createRooms, SECRET_META_KEY } from "./rooms-host.ts";
import { readMeta } from "./sqlite-storage.ts";

/** What a site owner gives for a new site; the admin's password is made for them. */
export type NewSite = {
  id: string;
  name: string;
  allowedOrigins: string[];
  admin: { email: string; name: string };
};

/** Why a site was not created, in words the site owner can act on. */
export class SiteNotCreatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SiteNotCreatedError";
  }
}

/**
 * Creates a site and its first admin in the relay's database, with a new random password for
 * the admin, which it returns (it is stored only as a hash). The relay must be stopped: a
 * running relay holds the database and keeps its rooms in memory (ask it instead:
 * {@link createSiteOnRelay}).
 * Rejects with a `SiteNotCreatedError` when the relay is running, the site exists already, the
 * email has an account on another site, or a field is not valid (the message says which).
 *
 * @example
 * const { password } = await createSite("data/parley.sqlite", {
 *   id: "shop", name: "My shop", allowedOrigins: ["https://shop.example"],
 *   admin: { email: "me@shop.example", name: "Ana" },
 * });
 */
export async function createSite(dbPath: string, site: NewSite): Promise<{ password: string }> {
  let lock: { release(): void };
  try {
    lock = lockDatabase(dbPath);
  } catch (error) {
    if (!(error instanceof DatabaseInUseError)) throw error;
    throw new SiteNotCreatedError(
      `A relay is running on ${dbPath}: create the site through it (--relay and its URL, such as --relay http://localhost:8787), or stop it first`,
    );
  }
  // No sockets: nothing connects while the site is made.
  const rooms = createRooms({ dbPath }, { send() {}, close() {} });
  try {
    const password = randomId();
    const body: BootstrapBody = { ...newSiteBody(site, password), onlyIfNew: true };
    const response = await rooms.request(
      "directory",
      "global",
      new Request("https://room/bootstrap", { method: "POST", body: JSON.stringify(body) }),
    );
    if (!response.ok) throw new SiteNotCreatedError(await refusal(response));
    return { password };
  } finally {
    await rooms.close();
    lock.release();
  }
}

/**
 * Creates a site and its first admin on the running relay at `relayUrl` (`POST /api/sites`),
 * with a site setup token signed by `secret`, the relay's (relay/auth/site-setup.ts); the
 * admin's new password is returned. Rejects with a `SiteNotCreatedError` when the relay does
 * not answer or refuses (the message says why).
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
  const token = await signSiteSetupToken(secret, site.id);
  let response: Response;
  try {
    response = await fetch(new URL("/api/sites", relayUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(newSiteBody(site, password)),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
    throw new SiteNotCreatedError(`The relay at ${relayUrl} did not answer (${cause})`);
  }
  if (response.status === 401) {
    throw new SiteNotCreatedError(
      `The relay at ${relayUrl} refused the setup token: PARLEY_SECRET is not its secret`,
    );
  }
  if (!response.ok) throw new SiteNotCreatedError(await refusal(response));
  return { password };
}

/**
 * The secret of the node relay on `dbPath`, made on its first start, or undefined before that:
 * what `--relay` signs with when PARLEY_SECRET is not set.
 */
export function storedRelaySecret(dbPath: string): string | undefined {
  return readMeta(dbPath, SECRET_META_KEY);
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
