import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.ts";
import { runRelayUntilExit } from "./relay-process.ts";

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
