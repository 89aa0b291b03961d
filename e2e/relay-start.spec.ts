import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO } from "../relay/demo-site.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import { runRelayUntilExit, startRelayProcess } from "./relay-process.ts";

test("a relay that cannot start says why in one line: its port in use, or its database another relay runs on", async ({
  relay,
}) => {
  const dir = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const portTaken = await runRelayUntilExit({
    PORT: String(relay.port),
    PARLEY_DB: join(dir, "relay.sqlite"),
  });
  expect(portTaken).toEqual({
    code: 1,
    stderr: `Parley could not start: 127.0.0.1:${relay.port} is in use, by another relay or another program. Stop it, or start this one on another port: PORT=${relay.port + 1} npm start\n`,
  });

  const databaseTaken = await runRelayUntilExit({ PORT: "0", PARLEY_DB: relay.dbPath });
  expect(databaseTaken.code).toBe(1);
  expect(databaseTaken.stderr).toContain(`Another relay is running on ${relay.dbPath}`);
  // The relay that runs on it is none the worse.
  expect((await fetch(`${relay.url}/demo/`)).status).toBe(200);
  rmSync(dir, { recursive: true, force: true });
});

test("a site owner creates their site with `npm run site`, starts the relay without the demo and signs in to it", async ({
  page,
}) => {
  const dbPath = join(mkdtempSync(join(tmpdir(), "parley-e2e-")), "relay.sqlite");
  const siteJs = join(import.meta.dirname, "../dist/relay/site.js");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [siteJs, "--id", "shop", "--name", "Corner Shop", "--origin", "https://shop.example"].concat([
      "--email",
      "owner@shop.example",
      "--admin",
      "Olga",
    ]),
    { env: { ...process.env, PARLEY_DB: dbPath } },
  );
  const password = /owner@shop\.example \/ (\S+)/.exec(stdout)?.[1] ?? "";
  expect(stdout).toContain(
    '<script async src="https://RELAY_HOST/loader.js" data-site="shop"></script>',
  );

  const relay = await startRelayProcess({ dbPath, env: { PARLEY_DEMO: "off" } });
  try {
    await page.goto(`${relay.url}/agent/`);
    await page.getByTestId("login-email").fill(DEMO.email);
    await page.getByTestId("login-password").fill(DEMO.password);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toBeVisible();

    await signInToConsole(page, relay.url, { email: "owner@shop.example", password });
    await expect(page.getByTestId("site-name")).toHaveText("Corner Shop");
  } finally {
    await relay.stop();
  }
});
