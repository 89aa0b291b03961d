import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StorageClosedError } from "../../party.ts";
import { openSqliteDatabase, type SqliteDatabase } from "./sqlite-storage.ts";

let dir: string;
let db: SqliteDatabase;
const noAlarm = () => {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-storage-"));
  db = openSqliteDatabase(join(dir, "relay.sqlite"));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sqlite room storage", () => {
  it("keeps each room's keys apart and survives reopening the file", async () => {
    const a = db.storage("visitor/a", noAlarm);
    const b = db.storage("visitor/b", noAlarm);
    await a.put("profile", { name: "Visitor 1", tags: ["x"] });
    await b.put("profile", { name: "Visitor 2" });
    await db.close();
    db = openSqliteDatabase(join(dir, "relay.sqlite"));
    expect(await db.storage("visitor/a", noAlarm).get("profile")).toEqual({
      name: "Visitor 1",
      tags: ["x"],
    });
    expect(await db.storage("visitor/b", noAlarm).get("profile")).toEqual({ name: "Visitor 2" });
  });

  it("reads its own writes before they commit and groups a tick's writes", async () => {
    const s = db.storage("site/demo", noAlarm);
    const first = s.put("k1", 1);
    const second = s.putMany({ k2: 2, k3: 3 });
    expect(await s.get("k1")).toBe(1);
    await Promise.all([first, second]);
    expect([...(await s.getMany(["k1", "k3", "missing"])).entries()]).toEqual([
      ["k1", 1],
      ["k3", 3],
    ]);
  });

  it("commits the first write after a quiet spell at once, and groups the writes that follow it", async () => {
    await db.close();
    db = openSqliteDatabase(join(dir, "relay.sqlite"), { commitEveryMs: 300 });
    const s = db.storage("visitor/v", noAlarm);
    await s.put("pv:1", 1);
    const nextTick = () => new Promise((resolve) => setImmediate(resolve));
    const committed: string[] = [];
    const second = s.put("pv:2", 2).then(() => committed.push("pv:2"));
    await nextTick();
    const third = s.put("pv:3", 3).then(() => committed.push("pv:3"));
    await nextTick();
    expect(committed).toEqual([]);
    await second;
    // One batch: the second write's commit is the third's.
    expect(committed).toEqual(["pv:2", "pv:3"]);
    await third;
  });

  it("reads the newest uncommitted write of a key while an earlier batch with it waits", async () => {
    const s = db.storage("visitor/v", noAlarm);
    const other = new Database(join(dir, "relay.sqlite"));
    other.exec("BEGIN IMMEDIATE"); // holds the lock: the writer waits on the first batch
    const first = s.putMany({ "pv:1": 1, "pv:2": 1 });
    // The first batch leaves on this tick's setImmediate; writes after the next one make another.
    await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    const second = Promise.all([s.put("pv:1", 2), s.delete("pv:2")]);
    expect(await s.get("pv:1")).toBe(2);
    expect(await s.get("pv:2")).toBeUndefined();
    expect([...(await s.list({ prefix: "pv:" })).entries()]).toEqual([["pv:1", 2]]);
    other.exec("ROLLBACK");
    other.close();
    await first;
    expect(await s.get("pv:1")).toBe(2);
    await second;
    expect([...(await s.list({ prefix: "pv:" })).entries()]).toEqual([["pv:1", 2]]);
  });

  it("rejects a batch it cannot commit as a whole, and reads go back to what is stored", async () => {
    await db.close();
    db = openSqliteDatabase(join(dir, "relay.sqlite"), { busyTimeoutMs: 50 });
    const s = db.storage("visitor/v", noAlarm);
    await s.put("kept", 1);
    const other = new Database(join(dir, "relay.sqlite"));
    other.exec("BEGIN IMMEDIATE");
    const first = s.putMany({ kept: 2, added: 3 });
    const second = s.put("more", 4);
    expect(await s.get("kept")).toBe(2);
    await expect(first).rejects.toThrow("locked");
    await expect(second).rejects.toThrow("locked");
    expect(await s.get("kept")).toBe(1);
    expect(await s.get("added")).toBeUndefined();
    other.exec("ROLLBACK");
    other.close();
    await s.put("after", 5);
    expect(await s.get("after")).toBe(5);
  });

  it("refuses a value that is no JSON before anything of the call is stored", async () => {
    const s = db.storage("visitor/v", noAlarm);
    await expect(s.putMany({ a: 1, b: undefined as unknown as number })).rejects.toThrow(
      "b: undefined is not a JSON value",
    );
    expect(await s.get("a")).toBeUndefined();
  });

  it("merges uncommitted writes into a list before its limit applies", async () => {
    const s = db.storage("visitor/v", noAlarm);
    await s.putMany({ "pv:1": 1, "pv:2": 2, "pv:3": 3 });
    // The stored rows' first two are pv:1 and pv:2; with pv:1 deleted, pv:3 must come in.
    const pending = Promise.all([s.delete("pv:1"), s.put("pv:4", 4)]);
    expect([...(await s.list({ prefix: "pv:", limit: 2 })).entries()]).toEqual([
      ["pv:2", 2],
      ["pv:3", 3],
    ]);
    await pending;
    expect([...(await s.list({ prefix: "pv:" })).keys()]).toEqual(["pv:2", "pv:3", "pv:4"]);
  });

  it("lists by prefix, range, limit and order", async () => {
    const s = db.storage("visitor/v", noAlarm);
    await s.putMany({ "pv:001": "a", "pv:002": "b", "pv:003": "c", "pw:001": "x", p: "y" });
    expect([...(await s.list({ prefix: "pv:" })).keys()]).toEqual(["pv:001", "pv:002", "pv:003"]);
    expect([...(await s.list({ prefix: "pv:", reverse: true, limit: 2 })).values()]).toEqual([
      "c",
      "b",
    ]);
    expect([...(await s.list({ start: "pv:002", end: "pw:" })).keys()]).toEqual([
      "pv:002",
      "pv:003",
    ]);
  });

  it("deletes and counts what existed", async () => {
    const s = db.storage("visitor/v", noAlarm);
    await s.putMany({ a: 1, b: 2 });
    expect(await s.delete("a")).toBe(true);
    expect(await s.delete("a")).toBe(false);
    expect(await s.deleteMany(["a", "b", "c"])).toBe(1);
    expect((await s.list()).size).toBe(0);
  });

  it("lands a transaction's writes together, or none of them when it throws", async () => {
    const s = db.storage("site/demo", noAlarm);
    await s.put("counter", 1);
    await expect(
      s.transaction(async (txn) => {
        await txn.put("counter", 2);
        await txn.put("other", true);
        expect(await txn.get("counter")).toBe(2);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await s.get("counter")).toBe(1);
    expect(await s.get("other")).toBeUndefined();

    const listed = await s.transaction(async (txn) => {
      await txn.put("counter", 3);
      await txn.delete("counter");
      await txn.put("c2", 5);
      return [...(await txn.list({ prefix: "c" })).entries()];
    });
    expect(listed).toEqual([["c2", 5]]);
    expect(await s.get("counter")).toBeUndefined();
  });

  it("lets nothing of the same room interleave with a transaction", async () => {
    const s = db.storage("site/demo", noAlarm);
    await s.put("n", 0);
    const increment = () =>
      s.transaction(async (txn) => {
        const n = (await txn.get<number>("n")) ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 5));
        await txn.put("n", n + 1);
      });
    await Promise.all([increment(), increment(), increment()]);
    expect(await s.get("n")).toBe(3);
  });

  it("keeps alarms in the file and tells the host when they change", async () => {
    const seen: (number | null)[] = [];
    const s = db.storage("visitor/v", (time) => seen.push(time));
    await s.setAlarm(5000);
    expect(await s.getAlarm()).toBe(5000);
    expect(db.alarms()).toEqual([{ roomKey: "visitor/v", time: 5000 }]);
    await s.deleteAlarm();
    expect(await s.getAlarm()).toBeNull();
    expect(seen).toEqual([5000, null]);
  });

  it("creates a meta value once and returns the same one after reopening", async () => {
    const secret = db.meta("token-secret", () => "first");
    expect(db.meta("token-secret", () => "second")).toBe(secret);
    await db.close();
    db = openSqliteDatabase(join(dir, "relay.sqlite"));
    expect(db.meta("token-secret", () => "third")).toBe("first");
  });

  it("copies committed pages from the WAL into the file on a worker thread, and removes the WAL on close", async () => {
    const file = join(dir, "relay.sqlite");
    const before = statSync(file).size;
    // 25 pages: far below the 1,000 at which SQLite itself would checkpoint.
    const rows = Array.from({ length: 500 }, (_, i) => [`k${i}`, "x".repeat(200)]);
    await db.storage("visitor/v", noAlarm).putMany(Object.fromEntries(rows));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 100_000), {
      timeout: 10_000,
      interval: 100,
    });
    await db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    db = openSqliteDatabase(file);
    expect(await db.storage("visitor/v", noAlarm).get("k499")).toBe("x".repeat(200));
  });

  it("starts the WAL over while writes never pause", async () => {
    const wal = join(dir, "relay.sqlite-wal");
    // The WAL header's checkpoint sequence number counts the times the WAL started over.
    const restarts = () => {
      const header = Buffer.alloc(16);
      const fd = openSync(wal, "r");
      readSync(fd, header, 0, 16, 0);
      closeSync(fd);
      return header.readUInt32BE(12);
    };
    const storage = db.storage("visitor/v", noAlarm);
    await storage.put("k0", 0);
    const first = restarts();
    // One commit after another, as under load: a commit runs while every checkpoint does.
    const giveUpAt = Date.now() + 12_000;
    for (let i = 1; restarts() < first + 2 && Date.now() < giveUpAt; i++) {
      // A new value each time: SQLite writes nothing for a row that stays the same.
      await storage.put(`k${i % 2000}`, `${i}`.padEnd(300, "x"));
    }
    expect(restarts()).toBeGreaterThanOrEqual(first + 2);
  }, 15_000);

  it("refuses to work once closed", async () => {
    const s = db.storage("visitor/v", noAlarm);
    await db.close();
    await expect(s.put("k", 1)).rejects.toBeInstanceOf(StorageClosedError);
  });
});
