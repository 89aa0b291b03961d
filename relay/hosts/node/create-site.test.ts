import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SiteSettingsResponse } from "../../../protocol/index.ts";
import { api, connectVisitor, login, newVisitor } from "../../rooms/testing.ts";
import { createSite, createSiteOnRelay, type NewSite, storedRelaySecret } from "./create-site.ts";
import { startRelay } from "./server.ts";

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
      ).rejects.toThrow(`The relay at ${relay.url} refused the setup token`);
    });
    await expect(createSiteOnRelay("http://127.0.0.1:9", "x", shop)).rejects.toThrow(
      "The relay at http://127.0.0.1:9 did not answer",
    );
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
