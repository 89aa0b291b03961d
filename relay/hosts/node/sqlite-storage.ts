import Database from "better-sqlite3";
import type { Json, ListOptions, RoomStorage } from "../../party.ts";
import { startCheckpointer } from "./checkpointer.ts";

/**
 * Room storage on one SQLite file, as the node host keeps it: every room's keys in one table,
 * alarms in another so they survive a restart.
 *
 * Writes are grouped per tick: the first write of a tick opens a transaction, every write in
 * the same tick joins it, and it commits on `setImmediate`. Write promises resolve after the
 * commit, so a room that awaits a write before acknowledging a client never acknowledges
 * something a crash could lose. Reads run on the same connection and see uncommitted writes.
 * WAL checkpoints run on a worker thread (see `checkpointer.ts`), not inside these commits.
 */
export type SqliteDatabase = {
  /** Storage for one room, keyed by `party/id`. */
  storage(roomKey: string, onAlarmChange: (time: number | null) => void): RoomStorage;
  /** Every stored alarm, to reschedule after a restart. */
  alarms(): { roomKey: string; time: number }[];
  /** A value of the host's own (such as the token secret), created once by `make`. */
  meta(key: string, make: () => string): string;
  /** Commits pending writes, stops the checkpointer and closes the file. */
  close(): Promise<void>;
};

type Pending = { resolve: () => void; reject: (error: unknown) => void };

export function openSqliteDatabase(path: string): SqliteDatabase {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
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
    put: db.prepare<[string, string, string]>(
      "INSERT INTO kv (room, key, value) VALUES (?, ?, ?) ON CONFLICT (room, key) DO UPDATE SET value = excluded.value",
    ),
    delete: db.prepare<[string, string]>("DELETE FROM kv WHERE room = ? AND key = ?"),
    getAlarm: db.prepare<[string], { time: number }>("SELECT time FROM alarms WHERE room = ?"),
    setAlarm: db.prepare<[string, number]>(
      "INSERT INTO alarms (room, time) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET time = excluded.time",
    ),
    deleteAlarm: db.prepare<[string]>("DELETE FROM alarms WHERE room = ?"),
    allAlarms: db.prepare<[], { room: string; time: number }>("SELECT room, time FROM alarms"),
    getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
    putMeta: db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)"),
  };

  const checkpointer = startCheckpointer(path);
  let closed = false;
  let batch: Pending[] | null = null;

  function commit(): void {
    const waiting = batch ?? [];
    batch = null;
    try {
      db.exec("COMMIT");
      for (const w of waiting) w.resolve();
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      for (const w of waiting) w.reject(error);
    }
  }

  /** Runs `apply` inside this tick's transaction; resolves once that transaction commits. */
  function write(apply: () => void): Promise<void> {
    if (closed) return Promise.reject(new Error("storage is closed"));
    if (!batch) {
      db.exec("BEGIN");
      batch = [];
      setImmediate(commit);
    }
    const waiting = batch;
    return new Promise((resolve, reject) => {
      try {
        apply();
        waiting.push({ resolve, reject });
      } catch (error) {
        reject(error);
      }
    });
  }

  function read<T>(fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new Error("storage is closed"));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function listRows(room: string, options: ListOptions): { key: string; value: string }[] {
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
    if (options.limit !== undefined) {
      query += " LIMIT ?";
      params.push(options.limit);
    }
    return db.prepare<(string | number)[], { key: string; value: string }>(query).all(...params);
  }

  function storage(room: string, onAlarmChange: (time: number | null) => void): RoomStorage {
    const base: RoomStorage = {
      get: <T extends Json>(key: string) =>
        read(() => {
          const row = sql.get.get(room, key);
          return row ? (JSON.parse(row.value) as T) : undefined;
        }),
      getMany: <T extends Json>(keys: string[]) =>
        read(() => {
          const found = new Map<string, T>();
          for (const key of keys) {
            const row = sql.get.get(room, key);
            if (row) found.set(key, JSON.parse(row.value) as T);
          }
          return found;
        }),
      put: (key, value) => write(() => sql.put.run(room, key, JSON.stringify(value))),
      putMany: (entries) =>
        write(() => {
          for (const [key, value] of Object.entries(entries)) {
            sql.put.run(room, key, JSON.stringify(value));
          }
        }),
      delete: async (key) => {
        let existed = false;
        await write(() => {
          existed = sql.delete.run(room, key).changes > 0;
        });
        return existed;
      },
      deleteMany: async (keys) => {
        let count = 0;
        await write(() => {
          for (const key of keys) count += sql.delete.run(room, key).changes;
        });
        return count;
      },
      list: <T extends Json>(options: ListOptions = {}) =>
        read(() => {
          const found = new Map<string, T>();
          for (const row of listRows(room, options)) found.set(row.key, JSON.parse(row.value) as T);
          return found;
        }),
      transaction: (fn) => runTransaction(base, fn),
      setAlarm: async (time) => {
        await write(() => sql.setAlarm.run(room, Math.floor(time)));
        onAlarmChange(time);
      },
      getAlarm: () => read(() => sql.getAlarm.get(room)?.time ?? null),
      deleteAlarm: async () => {
        await write(() => sql.deleteAlarm.run(room));
        onAlarmChange(null);
      },
    };
    return serialized(base);
  }

  return {
    storage,
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
      if (batch) commit();
      closed = true;
      await checkpointer.stop();
      // The last connection to close checkpoints what is left and removes the WAL.
      db.close();
    },
  };
}

/** The first string after every string that starts with `prefix` (keys are ASCII here). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * Wraps a room's storage so that while a transaction runs, the room's other storage calls
 * wait for it: nothing interleaves with a transaction, as with Durable Objects' input gates.
 */
function serialized(storage: RoomStorage): RoomStorage {
  let gate: Promise<unknown> = Promise.resolve();
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await gate;
      return fn(...args);
    };
  return {
    get: wrap(storage.get),
    getMany: wrap(storage.getMany),
    put: wrap(storage.put),
    putMany: wrap(storage.putMany),
    delete: wrap(storage.delete),
    deleteMany: wrap(storage.deleteMany),
    list: wrap(storage.list),
    setAlarm: wrap(storage.setAlarm),
    getAlarm: wrap(storage.getAlarm),
    deleteAlarm: wrap(storage.deleteAlarm),
    transaction: <T>(fn: (txn: RoomStorage) => Promise<T>): Promise<T> => {
      const run = gate.then(() => storage.transaction(fn));
      gate = run.catch(() => undefined);
      return run;
    },
  } as RoomStorage;
}

/**
 * Runs `fn` against a view that buffers its writes; the buffer lands in one write when `fn`
 * succeeds and is dropped when it throws, so the transaction's writes land together or not at all.
 */
async function runTransaction<T>(
  storage: RoomStorage,
  fn: (txn: RoomStorage) => Promise<T>,
): Promise<T> {
  const buffered = new Map<string, Json | undefined>(); // undefined marks a delete
  let alarm: { time: number | null } | undefined;

  const txn: RoomStorage = {
    get: async <V extends Json>(key: string) =>
      buffered.has(key) ? (buffered.get(key) as V | undefined) : storage.get<V>(key),
    getMany: async <V extends Json>(keys: string[]) => {
      const found = await storage.getMany<V>(keys.filter((key) => !buffered.has(key)));
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
      for (const [key, value] of Object.entries(entries)) buffered.set(key, value);
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
      const stored = await storage.list<V>({ ...options, limit: undefined });
      for (const [key, value] of buffered) {
        if (!inRange(key, options)) continue;
        if (value === undefined) stored.delete(key);
        else stored.set(key, value as V);
      }
      const keys = [...stored.keys()].sort();
      if (options.reverse) keys.reverse();
      const limited = options.limit === undefined ? keys : keys.slice(0, options.limit);
      return new Map(limited.map((key) => [key, stored.get(key) as V]));
    },
    transaction: (inner) => inner(txn),
    setAlarm: async (time) => {
      alarm = { time };
    },
    getAlarm: async () => (alarm ? alarm.time : storage.getAlarm()),
    deleteAlarm: async () => {
      alarm = { time: null };
    },
  };

  const result = await fn(txn);
  const puts: Record<string, Json> = {};
  const deletes: string[] = [];
  for (const [key, value] of buffered) {
    if (value === undefined) deletes.push(key);
    else puts[key] = value;
  }
  const writes: Promise<unknown>[] = [];
  if (Object.keys(puts).length > 0) writes.push(storage.putMany(puts));
  if (deletes.length > 0) writes.push(storage.deleteMany(deletes));
  if (alarm) {
    writes.push(alarm.time === null ? storage.deleteAlarm() : storage.setAlarm(alarm.time));
  }
  await Promise.all(writes);
  return result;
}

function inRange(key: string, options: ListOptions): boolean {
  if (options.prefix && !key.startsWith(options.prefix)) return false;
  if (options.start !== undefined && key < options.start) return false;
  if (options.end !== undefined && key >= options.end) return false;
  return true;
}
