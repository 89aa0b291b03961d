import { randomId } from "../../auth/index.ts";
import type { BootstrapBody } from "../../rooms/site-room.ts";
import { DatabaseInUseError, lockDatabase } from "./database-lock.ts";
import { createRooms } from "./rooms-host.ts";

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
 * running relay holds the database and keeps its rooms in memory.
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
      `A relay is running on ${dbPath}: stop it, create the site, then start it again`,
    );
  }
  // No sockets: nothing connects while the site is made.
  const rooms = createRooms({ dbPath }, { send() {}, close() {} });
  try {
    const password = randomId();
    const body: BootstrapBody = {
      site: { id: site.id, name: site.name, allowedOrigins: site.allowedOrigins },
      admin: { ...site.admin, password },
      onlyIfNew: true,
    };
    const response = await rooms.request(
      "directory",
      "global",
      new Request("https://room/bootstrap", { method: "POST", body: JSON.stringify(body) }),
    );
    if (!response.ok) {
      const { message } = (await response.json()) as { message: string };
      throw new SiteNotCreatedError(message);
    }
    return { password };
  } finally {
    await rooms.close();
    lock.release();
  }
}
