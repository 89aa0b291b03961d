import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configureLog } from "../../log.ts";
import { openSqliteDatabase } from "./sqlite-storage.ts";
import { startWriter } from "./writer.ts";

const lines: string[] = [];
let dir: string;

afterEach(() => {
  lines.length = 0;
  configureLog({ level: undefined, write: undefined });
  rmSync(dir, { recursive: true, force: true });
});

describe("writer thread", () => {
  it("takes a checkpoint request that comes while it stops without failing", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-writer-"));
    const path = join(dir, "relay.sqlite");
    await openSqliteDatabase(path).close(); // creates the tables
    configureLog({ level: "info", write: (line) => lines.push(line) });
    const writer = startWriter(path, 1000);
    await writer.commit(["put", "visitor/v", "k", '"x"']);
    const stopped = writer.stop();
    writer.checkpoint();
    await stopped;
    expect(lines).toEqual([]);
  });
});
