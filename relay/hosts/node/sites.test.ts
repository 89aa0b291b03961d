import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SiteSettingsResponse } from "../../../protocol/index.ts";
import { signSiteToken } from "../../auth/index.ts";
import { api, connectVisitor, login, newVisitor, storedKeys } from "../../rooms/testing.ts";
import { startRelay } from "./server.ts";
import {
  createSite,
  createSiteOnRelay,
  deleteSite,
  deleteSiteOnRelay,
  type NewSite,
  storedRelaySecret,
} from "./sites.ts";

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-site-"));
  dbPath = join(dir, "relay.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const shop: NewSite = {
  id: "shop",
  name: "Corner Shop",
  // As an address bar shows it: stored as the origin it is, https://shop.example.
  allowedOrigins: ["https://Shop.example/"],
  admin: { email: "owner@shop.example", name: "Olga" },
};

/** A relay on the database without the demo site, while `use` runs. */
async function withRelay(use: (relay: { url: string; wsUrl: string }) => Promise<void>) {
  const relay = await startRelay({ port: 0, host: "127.0.0.1", dbPath, demo: false });
  try {
    await use({ url: relay.url, wsUrl: relay.url.replace(/^http/, "ws") });
  } finally {
    await relay.close();
  }
}

describe("creating a site", () => {
  it("makes a site whose admin signs in with the password given and whose origins are served", async () => {
    const { password } = await createSite(dbPath, shop);
    expect(password.length).toBeGreaterThanOrEqual(20);

    await withRelay(async (relay) => {
      const signedIn = await login(relay, shop.admin.email, password);
      expect(signedIn.site).toEqual({ id: "shop", name: "Corner Shop" });
      expect(signedIn.agent).toMatchObject({ name: "Olga", role: "admin" });
      const site = await api(relay, "GET", "/api/site", { token: signedIn.token });
      expect((site.body as SiteSettingsResponse).allowedOrigins).toEqual(["https://shop.example"]);

      const visitor = newVisitor();
      const tab = await connectVisitor(relay, visitor, {
        site: "shop",
        origin: "https://shop.example",
      });
      expect((await tab.next("welcome")).type).toBe("welcome");
      await tab.close();
      const stranger = await connectVisitor(relay, newVisitor(), {
        site: "shop",
        origin: "https://elsewhere.example",
      });
      expect((await stranger.closed).reason).toMatch(/not allowed/);
    });
  });

  it("refuses a site that exists, and leaves the email it named free", async () => {
    const { password } = await createSite(dbPath, shop);
    const again = { ...shop, allowedOrigins: ["https://other.example"] };
    const newcomer = { email: "newcomer@shop.example", name: "Nina" };
    await expect(createSite(dbPath, { ...again, admin: newcomer })).rejects.toThrow(
      'The site "shop" exists already',
    );
    // Nothing of the refused attempt stayed: neither its origin nor its email.
    await createSite(dbPath, { ...shop, id: "kiosk", admin: newcomer });
    await withRelay(async (relay) => {
      const { token } = await login(relay, shop.admin.email, password);
      const site = await api(relay, "GET", "/api/site", { token });
      expect((site.body as SiteSettingsResponse).allowedOrigins).toEqual(["https://shop.example"]);
    });
  });

  it("refuses an email that has an account on another site, and invalid fields, saying which", async () => {
    await createSite(dbPath, shop);
    await expect(createSite(dbPath, { ...shop, id: "kiosk" })).rejects.toThrow(
      "owner@shop.example already has an account on another site",
    );
    await expect(
      createSite(dbPath, { ...shop, id: "bar", allowedOrigins: ["shop.example"] }),
    ).rejects.toThrow(/allowedOrigins/);
    await expect(createSite(dbPath, { ...shop, id: "no spaces" })).rejects.toThrow(/site id/);
  });

  it("refuses while a relay runs on the database, saying to ask it or stop it", async () => {
    await withRelay(async () => {
      await expect(createSite(dbPath, shop)).rejects.toThrow(
        `A relay is running on ${dbPath}: create the site through it (--relay`,
      );
    });
  });
});

describe("creating a site on a running relay", () => {
  it("signs a setup token with the relay's secret, and says so when the secret is not its", async () => {
    await withRelay(async (relay) => {
      const secret = storedRelaySecret(dbPath) ?? "";
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      const { password } = await createSiteOnRelay(relay.url, secret, shop);
      expect((await login(relay, shop.admin.email, password)).site.id).toBe("shop");

      await expect(createSiteOnRelay(relay.url, secret, shop)).rejects.toThrow(
        'The site "shop" exists already',
      );
      await expect(
        createSiteOnRelay(relay.url, "x".repeat(64), { ...shop, id: "kiosk" }),
      ).rejects.toThrow(`The relay at ${relay.url} refused the site setup token`);
    });
    await expect(createSiteOnRelay("http://127.0.0.1:9", "x", shop)).rejects.toThrow(
      "The relay at http://127.0.0.1:9 did not answer",
    );
  });
});

describe("deleting a site", () => {
  it("with the relay stopped: the accounts at once, the visitors' data once the relay runs; the id never again", async () => {
    const { password } = await createSite(dbPath, shop);
    const visitor = newVisitor();
    await withRelay(async (relay) => {
      const tab = await connectVisitor(relay, visitor, {
        site: "shop",
        origin: "https://shop.example",
      });
      await tab.next("welcome");
      await tab.close();
      await expect(deleteSite(dbPath, "shop")).rejects.toThrow(
        "delete the site through it (--relay",
      );
    });
    await deleteSite(dbPath, "shop");
    await expect(deleteSite(dbPath, "kiosk")).rejects.toThrow('No site "kiosk"');
    await withRelay(async (relay) => {
      await expect(login(relay, shop.admin.email, password)).rejects.toThrow("401");
      const again = await connectVisitor(relay, visitor, {
        site: "shop",
        origin: "https://shop.example",
      });
      expect(await again.next("error")).toMatchObject({ code: "unknown_site" });
      // The alarm the deletion set runs when the relay does: the visitor's data goes.
      await vi.waitFor(() => expect(storedKeys(dbPath, "visitor/%")).toEqual([]), {
        timeout: 10_000,
      });
    });
    await expect(createSite(dbPath, shop)).rejects.toThrow('The site "shop" was deleted');
  });

  it("on a running relay, with a site deletion token", async () => {
    await withRelay(async (relay) => {
      const secret = storedRelaySecret(dbPath) ?? "";
      const { password } = await createSiteOnRelay(relay.url, secret, shop);
      const { token } = await login(relay, shop.admin.email, password);
      // A setup token does not delete, nor does another secret's token.
      const setup = await signSiteToken(secret, "shop", "setup");
      expect(
        await api(relay, "DELETE", "/api/sites", { token: setup, body: { confirm: "shop" } }),
      ).toMatchObject({ status: 401 });
      await expect(deleteSiteOnRelay(relay.url, "x".repeat(64), "shop")).rejects.toThrow(
        "refused the site deletion token",
      );
      const deletion = await signSiteToken(secret, "shop", "deletion");
      expect(
        await api(relay, "DELETE", "/api/sites", { token: deletion, body: { confirm: "kiosk" } }),
      ).toMatchObject({ status: 400, body: { error: "bad_body" } });
      expect((await api(relay, "GET", "/api/site", { token })).status).toBe(200);

      await deleteSiteOnRelay(relay.url, secret, "shop");
      expect((await api(relay, "GET", "/api/site", { token })).status).toBe(401);
      // Done already: deleting it again says so alike.
      await deleteSiteOnRelay(relay.url, secret, "shop");
      await expect(deleteSiteOnRelay(relay.url, secret, "kiosk")).rejects.toThrow(
        'No site "kiosk"',
      );
    });
  });
});

describe("npm run site", () => {
  const command = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "site-command.ts"), ...args],
      { env: { ...process.env, ...env, PARLEY_DB: dbPath } },
    );
  const args = [
    ...["--id", "shop", "--name", "Corner Shop", "--email", "owner@shop.example"],
    ...["--origin", "https://shop.example", "--origin", "https://www.shop.example"],
  ];

  it("prints the admin's password and the snippet, and exits 1 with the reason when it cannot", async () => {
    const { stdout } = await command(args, { PARLEY_PUBLIC_URL: "https://relay.example/" });
    expect(stdout).toContain('Created the site "shop" (Corner Shop)');
    // The relay's public origin when it is set, else a placeholder.
    expect(stdout).toContain(
      '<script async src="https://relay.example/loader.js" data-site="shop">',
    );
    const password = /owner@shop\.example \/ (\S+)/.exec(stdout)?.[1] ?? "";
    await withRelay(async (relay) => {
      expect((await login(relay, "owner@shop.example", password)).agent.name).toBe("Admin");
    });

    await expect(command(args)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('could not create the site: The site "shop" exists already'),
    });
    await expect(command(["--id", "kiosk"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("Usage: npm run site"),
    });
  });

  it("with --delete, deletes the site, and exits 1 with the reason when it cannot", async () => {
    const created = await command(args);
    const password = /owner@shop\.example \/ (\S+)/.exec(created.stdout)?.[1] ?? "";
    const { stdout } = await command(["--delete", "--id", "shop"]);
    expect(stdout).toContain('Deleted the site "shop"');
    await expect(command(["--delete"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--id missing"),
    });
    await withRelay(async (relay) => {
      await expect(
        command(["--delete", "--id", "kiosk", "--relay", relay.url]),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('could not delete the site: No site "kiosk"'),
      });
      await expect(login(relay, "owner@shop.example", password)).rejects.toThrow("401");
    });
  });

  it("with --relay, creates the site through the running relay with the secret it keeps", async () => {
    await withRelay(async (relay) => {
      const { stdout } = await command([...args, "--relay", relay.url]);
      expect(stdout).toContain(`<script async src="${relay.url}/loader.js" data-site="shop">`);
      const password = /owner@shop\.example \/ (\S+)/.exec(stdout)?.[1] ?? "";
      expect((await login(relay, "owner@shop.example", password)).site.id).toBe("shop");

      await expect(
        command([...args, "--id", "kiosk", "--relay", relay.url], {
          PARLEY_SECRET: "x".repeat(64),
        }),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining("PARLEY_SECRET is not its secret"),
      });
      await expect(command([...args, "--relay", `${relay.url}/api`])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining("--relay takes the relay's origin"),
      });
    });
  });
});
