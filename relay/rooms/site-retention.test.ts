import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, type SqliteDatabase } from "../hosts/node/sqlite-storage.ts";
import { createSiteRetention, DAY_MS, RETENTION_RETRY_MS } from "./site-retention.ts";

let dir: string;
let db: SqliteDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-retention-"));
  db = openSqliteDatabase(join(dir, "site.sqlite"));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Retention on real storage, with the visitors present and those whose deletion fails. */
function retentionOf(present = new Set<string>(), failing = new Set<string>()) {
  const deleted: string[] = [];
  const retention = createSiteRetention({
    storage: db.storage("site/shop", () => {}),
    present: (id) => present.has(id),
    forget: async (id) => {
      if (failing.has(id)) throw new Error("the visitor's room is locked");
      deleted.push(id);
    },
  });
  return { retention, deleted };
}

describe("site retention", () => {
  it("deletes each visitor the set days after they left, in order, not before", async () => {
    const { retention, deleted } = retentionOf();
    await retention.visitorsLeft([
      ["visitor-b", 2_000],
      ["visitor-a", 1_000],
    ]);
    expect(retention.nextSweep(0)).toBeNull();
    expect(retention.nextSweep(1)).toBe(1_000 + DAY_MS);
    expect(await retention.sweep(1_000 + DAY_MS - 1, 1)).toBe(0);
    expect(await retention.sweep(1_000 + DAY_MS, 0)).toBe(0);
    expect(await retention.sweep(1_000 + DAY_MS, 1)).toBe(1);
    expect(deleted).toEqual(["visitor-a"]);
    expect(retention.nextSweep(1)).toBe(2_000 + DAY_MS);

    // The index is read back on a start.
    const restarted = retentionOf();
    await restarted.retention.load();
    expect(restarted.retention.nextSweep(1)).toBe(2_000 + DAY_MS);
    expect(await restarted.retention.sweep(2_000 + DAY_MS, 1)).toBe(1);
    expect(restarted.deleted).toEqual(["visitor-b"]);
    expect(restarted.retention.nextSweep(1)).toBeNull();
  });

  it("keeps a visitor who came back, and counts from their latest leaving", async () => {
    const present = new Set(["visitor-here"]);
    const { retention, deleted } = retentionOf(present);
    await retention.visitorsLeft([
      ["visitor-here", 1_000],
      ["visitor-again", 1_000],
    ]);
    await retention.visitorsLeft([["visitor-again", 5_000]]);
    expect(await retention.sweep(1_000 + DAY_MS, 1)).toBe(0);
    expect(retention.nextSweep(1)).toBe(5_000 + DAY_MS);
    expect(await retention.sweep(5_000 + DAY_MS, 1)).toBe(1);
    expect(deleted).toEqual(["visitor-again"]);
    // The one still present left no entry behind: they are indexed when they next leave.
    expect(retention.nextSweep(1)).toBeNull();
  });

  it("tries a deletion that failed again later, and forgets a visitor deleted on request", async () => {
    const failing = new Set(["visitor-stuck"]);
    const { retention, deleted } = retentionOf(new Set(), failing);
    await retention.visitorsLeft([
      ["visitor-stuck", 1_000],
      ["visitor-asked", 1_000],
    ]);
    await retention.forgotten("visitor-asked");
    const now = 1_000 + DAY_MS;
    expect(await retention.sweep(now, 1)).toBe(0);
    expect(retention.nextSweep(1)).toBe(now + RETENTION_RETRY_MS);
    failing.clear();
    expect(await retention.sweep(now + RETENTION_RETRY_MS, 1)).toBe(1);
    expect(deleted).toEqual(["visitor-stuck"]);
    expect(retention.nextSweep(1)).toBeNull();
  });
});
