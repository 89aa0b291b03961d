import { existsSync } from "node:fs";
import Database, { type Statement } from "better-sqlite3";
import { type Json, type ListOptions, type RoomStorage, StorageClosedError } from "../../party.ts";
import { startCheckpointer } from "./checkpointer.ts";
import { startWriter } from "./writer.ts";

/**
 * Room storage on one SQLite file, as the node host keeps it: every room's keys in one table,
 * alarms in another so they survive a restart.
 *
 * Writes are grouped: the first write starts a batch, every write after it joins it until it
 * leaves for the writer thread (`writer.ts`), which commits it as one transaction. After a
 * quiet spell a batch leaves on `setImmediate`, at the end of its tick; under load at most every
 * {@link COMMIT_EVERY_MS}, so that a commit carries the writes of many frames and the threads
 * hand each other fewer, larger messages. Write promises resolve after that commit, so a room
 * that awaits a write before acknowledging a client never acknowledges something a crash could
 * lose. Until then the written values wait in memory, in the batch that writes them, where
 * reads find them first: a room reads its own writes at once. A batch's values go with the
 * batch when it commits; nothing is deleted key by key from maps that live on (README,
 * "Garbage under load"). WAL checkpoints run on a thread of their own (`checkpointer.ts`).
 * This thread only reads.
 */
export type SqliteDatabase = {
  /** Storage for one room, keyed by `party/id`. */
  storage(roomKey: string, onAlarmChange: (time: number | null) => void): RoomStorage;
  /** Every stored alarm, to reschedule after a restart. */
  alarms(): { roomKey: string; time: number }[];
  /** A value of the host's own (such as the token secret), created once by `make`. */
  meta(key: string, make: () => string): string;
  /** Commits pending writes, stops the writer and the checkpointer, and closes the file. */
  close(): Promise<void>;
};

/**
 * Under load, batches leave at most this often. What waits for a commit (acknowledgements, chat
 * messages reaching agents) waits that much longer; agents' roster updates do not wait for it.
 */
export const COMMIT_EVERY_MS = 10;

type Pending = { resolve: () => void; reject: (error: unknown) => void };

/**
 * One tick's writes: as the writer thread takes them (see `writer.ts`); as reads find them until
 * they commit, the JSON by room and key (null for a delete) and the alarm by room (null when
 * cleared); and who waits.
 */
type Batch = {
  ops: string[];
  values: Map<string, Map<string, string | null>>;
  alarms: Map<string, number | null>;
  waiting: Pending[];
};

/**
 * What the storage of every room of one file shares, made once per file (see
 * `openSqliteDatabase`): reads refused once the file is closed, writes that join this tick's
 * batch, and lookups that find uncommitted values first.
 */
type StorageFile = {
  read<T>(fn: () => T): Promise<T>;
  write(add: (batch: Batch) => void): Promise<void>;
  rawValue(room: string, key: string): string | undefined;
  listRows(room: string, options: ListOptions): [string, string][];
  alarm(room: string): number | null;
};

/**
 * Opens (or creates) the file at `path`. `busyTimeoutMs` is how long a commit waits for a lock
 * another process holds before it fails; `commitEveryMs` how often batches leave under load.
 */
/**
 * A value of the file's `meta` table (see `SqliteDatabase.meta`), read without writing: while a
 * relay runs on the file too. Undefined when the file, the table or the key is missing.
 */
export function readMeta(path: string, key: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

export function openSqliteDatabase(
  path: string,
  {
    busyTimeoutMs = 5000,
    commitEveryMs = COMMIT_EVERY_MS,
  }: { busyTimeoutMs?: number | undefined; commitEveryMs?: number } = {},
): SqliteDatabase {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec(`
    CREATE TABLE IF NOT EXISTS kv (room TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
      PRIMARY KEY (room, key)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS alarms (room TEXT PRIMARY KEY, time INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `);

  const sql = {
    get: db.prepare<[string, string], { value: string }>(
      "SELECT value FROM kv WHERE room = ? AND key = ?",
    ),
    getAlarm: db.prepare<[string], { time: number }>("SELECT time FROM alarms WHERE room = ?"),
    allAlarms: db.prepare<[], { room: string; time: number }>("SELECT room, time FROM alarms"),
    getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
    putMeta: db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)"),
  };
  /**
   * The list queries prepared so far, by their text: a few dozen shapes at most (which bounds
   * are set, the order, a limit). Every visitor room lists its rows when it starts, and
   * preparing the query each time took about 35 µs of it (a CPU profile of 7,500 visitors
   * connecting).
   */
  const listQueries = new Map<
    string,
    Statement<(string | number)[], { key: string; value: string }>
  >();

  const writer = startWriter(path, busyTimeoutMs);
  const checkpointer = startCheckpointer(path, () => writer.checkpoint());
  let closed = false;
  /** The batch this tick's writes join. */
  let batch: Batch | null = null;
  /** Batches not committed yet, oldest first: those the writer has, then this tick's. */
  const uncommittedBatches: Batch[] = [];
  /** The last batch's commit: the writer answers in order, so every batch before it is done. */
  let lastCommit: Promise<void> = Promise.resolve();
  /** When the last batch left for the writer. */
  let lastSentAt = Number.NEGATIVE_INFINITY;

  function flush(): void {
    const sent = batch;
    if (!sent) return;
    batch = null;
    lastSentAt = performance.now();
    // Either way the batch's values leave memory: committed they are stored, failed they are
    // not, and reads go back to what is.
    const settle = () => uncommittedBatches.splice(uncommittedBatches.indexOf(sent), 1);
    lastCommit = writer.commit(sent.ops).then(
      () => {
        settle();
        for (const w of sent.waiting) w.resolve();
      },
      (error: unknown) => {
        settle();
        for (const w of sent.waiting) w.reject(error);
      },
    );
  }

  /** Runs `add` on this tick's batch; resolves once the batch commits. */
  function write(add: (batch: Batch) => void): Promise<void> {
    if (closed) return Promise.reject(new StorageClosedError());
    if (!batch) {
      batch = { ops: [], values: new Map(), alarms: new Map(), waiting: [] };
      uncommittedBatches.push(batch);
      const wait = lastSentAt + commitEveryMs - performance.now();
      if (wait > 0) setTimeout(flush, wait);
      else setImmediate(flush);
    }
    const current = batch;
    add(current);
    return new Promise((resolve, reject) => current.waiting.push({ resolve, reject }));
  }

  /** What the newest uncommitted batch that says anything says under `find`. */
  function uncommitted<V>(find: (batch: Batch) => V | undefined): V | undefined {
    for (let i = uncommittedBatches.length - 1; i >= 0; i--) {
      const found = find(uncommittedBatches[i] as Batch);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  function read<T>(fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new StorageClosedError());
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The stored JSON under `key`, uncommitted first; undefined when there is none. */
  function rawValue(room: string, key: string): string | undefined {
    const pending = uncommitted((batch) => batch.values.get(room)?.get(key));
    if (pending !== undefined) return pending ?? undefined;
    return sql.get.get(room, key)?.value;
  }

  function listRows(room: string, options: ListOptions): [string, string][] {
    // Oldest first, so that a later write of a key wins.
    const pending = uncommittedBatches.flatMap((batch) => [...(batch.values.get(room) ?? [])]);
    const where = ["room = ?"];
    const params: (string | number)[] = [room];
    if (options.prefix) {
      where.push("key >= ?", "key < ?");
      params.push(options.prefix, prefixEnd(options.prefix));
    }
    if (options.start !== undefined) {
      where.push("key >= ?");
      params.push(options.start);
    }
    if (options.end !== undefined) {
      where.push("key < ?");
      params.push(options.end);
    }
    let query = `SELECT key, value FROM kv WHERE ${where.join(" AND ")} ORDER BY key ${options.reverse ? "DESC" : "ASC"}`;
    // With uncommitted keys about, the limit applies after merging them in.
    if (options.limit !== undefined && pending.length === 0) {
      query += " LIMIT ?";
      params.push(options.limit);
    }
    let statement = listQueries.get(query);
    if (!statement) {
      statement = db.prepare(query);
      listQueries.set(query, statement);
    }
    const rows = statement.all(...params).map((row): [string, string] => [row.key, row.value]);
    if (pending.length === 0) return rows;
    return overlay(new Map(rows), pending, options);
  }

  /** The room's alarm, uncommitted first; null when there is none. */
  function alarm(room: string): number | null {
    const pending = uncommitted((batch) => batch.alarms.get(room));
    return pending !== undefined ? pending : (sql.getAlarm.get(room)?.time ?? null);
  }

  const file: StorageFile = { read, write, rawValue, listRows, alarm };

  return {
    storage: (room, onAlarmChange) => new RoomStore(file, room, onAlarmChange),
    alarms: () => sql.allAlarms.all().map((row) => ({ roomKey: row.room, time: row.time })),
    meta(key, make) {
      const row = sql.getMeta.get(key);
      if (row) return row.value;
      const value = make();
      sql.putMeta.run(key, value);
      return value;
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      await lastCommit.catch(() => undefined);
      await writer.stop();
      await checkpointer.stop();
      // The last connection to close checkpoints what is left and removes the WAL.
      db.close();
    },
  };
}

/** The JSON text of a value to store; throws for what has none (undefined, a function). */
function toJson(key: string, value: Json): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`${key}: ${typeof value} is not a JSON value`);
  return json;
}

/** The first string after every string that starts with `prefix` (keys are ASCII here). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * One room's storage in the file. While a transaction runs, the room's other storage calls wait
 * for it: nothing interleaves with a transaction, as with Durable Objects' input gates.
 *
 * A class, not a factory: one is made per room, one per visitor present, and methods on the
 * prototype cost nothing per room.
 *
 * @example
 * const storage = db.storage("visitor/v1", (time) => scheduleAlarm(time)); // a RoomStore
 * await storage.put("profile", { name: "Visitor 1" });
 */
class RoomStore implements RoomStorage {
  /** Settles once the transactions started so far have; null when none is in flight. */
  private gate: Promise<void> | null = null;

  constructor(
    private readonly file: StorageFile,
    /** `party/id`. */
    private readonly room: string,
    private readonly onAlarmChange: (time: number | null) => void,
  ) {}

  get<T extends Json>(key: string): Promise<T | undefined> {
    return this.gated(() => this.getUngated<T>(key));
  }

  getMany<T extends Json>(keys: string[]): Promise<Map<string, T>> {
    return this.gated(() => this.getManyUngated<T>(keys));
  }

  put(key: string, value: Json): Promise<void> {
    return this.gated(() => this.putUngated(key, value));
  }

  putMany(entries: Record<string, Json> | ReadonlyMap<string, Json>): Promise<void> {
    return this.gated(() => this.putManyUngated(entries));
  }

  delete(key: string): Promise<boolean> {
    return this.gated(() => this.deleteUngated(key));
  }

  deleteMany(keys: string[]): Promise<number> {
    return this.gated(() => this.deleteManyUngated(keys));
  }

  list<T extends Json>(options?: ListOptions): Promise<Map<string, T>> {
    return this.gated(() => this.listUngated<T>(options));
  }

  setAlarm(time: number): Promise<void> {
    return this.gated(() => this.setAlarmUngated(time));
  }

  getAlarm(): Promise<number | null> {
    return this.gated(() => this.getAlarmUngated());
  }

  deleteAlarm(): Promise<void> {
    return this.gated(() => this.deleteAlarmUngated());
  }

  transaction<T>(fn: (txn: RoomStorage) => Promise<T>): Promise<T> {
    const run = (this.gate ?? Promise.resolve()).then(() => this.runTransaction(fn));
    // The last transaction to settle opens the gate again.
    const open = () => {
      if (this.gate === settled) this.gate = null;
    };
    const settled = run.then(open, open);
    this.gate = settled;
    return run;
  }

  /**
   * Runs `call` once the transactions in flight have settled. Without one it goes straight
   * through: most calls, one promise less.
   */
  private gated<R>(call: () => Promise<R>): Promise<R> {
    return this.gate ? this.gate.then(call) : call();
  }

  // The room's storage past the gate, for the gate and for transactions. Every method returns a
  // promise and never throws: the gate calls them directly.

  private getUngated<T extends Json>(key: string): Promise<T | undefined> {
    return this.file.read(() => {
      const raw = this.file.rawValue(this.room, key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    });
  }

  private getManyUngated<T extends Json>(keys: string[]): Promise<Map<string, T>> {
    return this.file.read(() => {
      const found = new Map<string, T>();
      for (const key of keys) {
        const raw = this.file.rawValue(this.room, key);
        if (raw !== undefined) found.set(key, JSON.parse(raw) as T);
      }
      return found;
    });
  }

  private async putUngated(key: string, value: Json): Promise<void> {
    const json = toJson(key, value);
    return this.file.write((batch) => setValue(batch, this.room, key, json));
  }

  private async putManyUngated(
    entries: Record<string, Json> | ReadonlyMap<string, Json>,
  ): Promise<void> {
    // Every value is checked before any joins the batch: all of them land, or none.
    const rows = [...entriesOf(entries)].map(([key, value]) => [key, toJson(key, value)]);
    return this.file.write((batch) => {
      for (const [key, json] of rows) setValue(batch, this.room, key as string, json as string);
    });
  }

  private deleteUngated(key: string): Promise<boolean> {
    return this.deleteManyUngated([key]).then((count) => count > 0);
  }

  private async deleteManyUngated(keys: string[]): Promise<number> {
    let count = 0;
    await this.file.write((batch) => {
      for (const key of keys) {
        if (this.file.rawValue(this.room, key) !== undefined) count++;
        setValue(batch, this.room, key, null);
      }
    });
    return count;
  }

  private listUngated<T extends Json>(options: ListOptions = {}): Promise<Map<string, T>> {
    return this.file.read(() => {
      const found = new Map<string, T>();
      for (const [key, value] of this.file.listRows(this.room, options)) {
        found.set(key, JSON.parse(value) as T);
      }
      return found;
    });
  }

  private async setAlarmUngated(time: number): Promise<void> {
    await this.file.write((batch) => setAlarmValue(batch, this.room, Math.floor(time)));
    this.onAlarmChange(time);
  }

  private getAlarmUngated(): Promise<number | null> {
    return this.file.read(() => this.file.alarm(this.room));
  }

  private async deleteAlarmUngated(): Promise<void> {
    await this.file.write((batch) => setAlarmValue(batch, this.room, null));
    this.onAlarmChange(null);
  }

  /**
   * Runs `fn` against a view that buffers its writes; the buffer lands in one write when `fn`
   * succeeds and is dropped when it throws, so the transaction's writes land together or not at
   * all.
   */
  private async runTransaction<T>(fn: (txn: RoomStorage) => Promise<T>): Promise<T> {
    const buffered = new Map<string, Json | undefined>(); // undefined marks a delete
    let alarm: { time: number | null } | undefined;

    const txn: RoomStorage = {
      get: async <V extends Json>(key: string) =>
        buffered.has(key) ? (buffered.get(key) as V | undefined) : this.getUngated<V>(key),
      getMany: async <V extends Json>(keys: string[]) => {
        const found = await this.getManyUngated<V>(keys.filter((key) => !buffered.has(key)));
        for (const key of keys) {
          const value = buffered.get(key);
          if (value !== undefined) found.set(key, value as V);
        }
        return found;
      },
      put: async (key, value) => {
        buffered.set(key, value);
      },
      putMany: async (entries) => {
        for (const [key, value] of entriesOf(entries)) buffered.set(key, value);
      },
      delete: async (key) => {
        const existed = (await txn.get(key)) !== undefined;
        buffered.set(key, undefined);
        return existed;
      },
      deleteMany: async (keys) => {
        let count = 0;
        for (const key of keys) if (await txn.delete(key)) count++;
        return count;
      },
      list: async <V extends Json>(options: ListOptions = {}) => {
        const stored = await this.listUngated<V>({ ...options, limit: undefined });
        return new Map(overlay(stored, buffered as Map<string, V | undefined>, options));
      },
      transaction: (inner) => inner(txn),
      setAlarm: async (time) => {
        alarm = { time };
      },
      getAlarm: async () => (alarm ? alarm.time : this.getAlarmUngated()),
      deleteAlarm: async () => {
        alarm = { time: null };
      },
    };

    const result = await fn(txn);
    const puts = new Map<string, Json>();
    const deletes: string[] = [];
    for (const [key, value] of buffered) {
      if (value === undefined) deletes.push(key);
      else puts.set(key, value);
    }
    const writes: Promise<unknown>[] = [];
    if (puts.size > 0) writes.push(this.putManyUngated(puts));
    if (deletes.length > 0) writes.push(this.deleteManyUngated(deletes));
    if (alarm) {
      writes.push(
        alarm.time === null ? this.deleteAlarmUngated() : this.setAlarmUngated(alarm.time),
      );
    }
    await Promise.all(writes);
    return result;
  }
}

/** Stores `json` under `key` in `batch`, or deletes the key when it is null. */
function setValue(batch: Batch, room: string, key: string, json: string | null): void {
  if (json === null) batch.ops.push("delete", room, key, "-");
  else batch.ops.push("put", room, key, json);
  let values = batch.values.get(room);
  if (!values) {
    values = new Map();
    batch.values.set(room, values);
  }
  values.set(key, json);
}

/** Sets the room's alarm in `batch`, or clears it when `time` is null. */
function setAlarmValue(batch: Batch, room: string, time: number | null): void {
  batch.ops.push(time === null ? "unalarm" : "alarm", room, "-", String(time ?? "-"));
  batch.alarms.set(room, time);
}

function entriesOf(
  entries: Record<string, Json> | ReadonlyMap<string, Json>,
): Iterable<[string, Json]> {
  return entries instanceof Map ? entries : Object.entries(entries);
}

/**
 * What a list returns when `changes` (null or undefined: deleted) are laid over `stored`, the
 * rows in range without the limit: in key order, then reversed and limited as `options` say.
 */
function overlay<V>(
  stored: Map<string, V>,
  changes: Iterable<readonly [string, V | null | undefined]>,
  options: ListOptions,
): [string, V][] {
  for (const [key, value] of changes) {
    if (!inRange(key, options)) continue;
    if (value === null || value === undefined) stored.delete(key);
    else stored.set(key, value);
  }
  const keys = [...stored.keys()].sort();
  if (options.reverse) keys.reverse();
  const limited = options.limit === undefined ? keys : keys.slice(0, options.limit);
  return limited.map((key) => [key, stored.get(key) as V]);
}

function inRange(key: string, options: ListOptions): boolean {
  if (options.prefix && !key.startsWith(options.prefix)) return false;
  if (options.start !== undefined && key < options.start) return false;
  if (options.end !== undefined && key >= options.end) return false;
  return true;
}
