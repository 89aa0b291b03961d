/**
 * Commits room writes on a worker thread with its own connection to the file, so that the
 * relay's thread spends nothing on SQLite's inserts and commits (about a fifth of its time under
 * load when it did them itself). A batch is one transaction: every operation lands, or none.
 *
 * A batch is a flat list of strings, four per operation, which is cheap to hand to a thread:
 * - `put room key json`
 * - `delete room key -`
 * - `alarm room - time` (ms since epoch)
 * - `unalarm room - -`
 *
 * Between batches the thread also checkpoints when asked (see `checkpointer.ts`).
 */
import { log } from "../../log.ts";
import { sqliteThread } from "./sqlite-thread.ts";

export type Writer = {
  /** Commits `ops` in one transaction; resolves once they are durable. */
  commit(ops: string[]): Promise<void>;
  /** Checkpoints the WAL after the batches sent so far, so that the next commit restarts it. */
  checkpoint(): void;
  /** Waits for the batches sent so far, then stops the thread and closes its connection. */
  stop(): Promise<void>;
};

/** The thread's answer to a batch; it answers batches in the order it gets them. */
type Reply = { error?: string };

/**
 * Starts the writer thread for the database at `path` (already in WAL mode); a commit waits up
 * to `busyTimeoutMs` for a lock another process holds.
 */
export function startWriter(path: string, busyTimeoutMs: number): Writer {
  const worker = sqliteThread(writeLoop, { path, busyTimeoutMs });
  /** Who waits for each batch sent, oldest first. */
  const inFlight: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let broken: Error | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  worker.on("message", (reply: Reply) => {
    const batch = inFlight.shift();
    if (reply.error === undefined) batch?.resolve();
    else batch?.reject(new Error(reply.error));
  });
  worker.on("error", (error) => {
    log.error("writer thread failed", { path, error });
    broken = error;
    for (const batch of inFlight.splice(0)) batch.reject(error);
  });

  return {
    commit(ops) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        inFlight.push({ resolve, reject });
        worker.postMessage(ops);
      });
    },
    checkpoint() {
      // The checkpointer may report once more while the file closes: nothing is left to do.
      if (!broken && !stopping) worker.postMessage("checkpoint");
    },
    async stop() {
      stopping = true;
      // Batches are answered in order: once the stop message is read, every batch before it is.
      worker.postMessage("stop");
      await exited;
    },
  };
}

/** The worker's whole program (see `sqliteThread`); `workerData` has `path`, `busyTimeoutMs`. */
const writeLoop = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.sqliteModule);
const db = new Database(workerData.path);
// Per connection: commits without fsync (the WAL is synced at checkpoints), no checkpoints here.
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");
// When this connection starts the WAL over, it cuts the file back to 64 MB (a burst grows it).
db.pragma("journal_size_limit = 67108864");
db.pragma("busy_timeout = " + Number(workerData.busyTimeoutMs));
// Each visitor's records sit on a page of their own: with the default 2 MB cache most commits
// read their pages back from the file first. 64 MB keeps 16,000 pages.
db.pragma("cache_size = -65536");
const sql = {
  put: db.prepare("INSERT INTO kv (room, key, value) VALUES (?, ?, ?) ON CONFLICT (room, key) DO UPDATE SET value = excluded.value"),
  delete: db.prepare("DELETE FROM kv WHERE room = ? AND key = ?"),
  alarm: db.prepare("INSERT INTO alarms (room, time) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET time = excluded.time"),
  unalarm: db.prepare("DELETE FROM alarms WHERE room = ?"),
};
const apply = db.transaction((ops) => {
  for (let i = 0; i < ops.length; i += 4) {
    const room = ops[i + 1];
    switch (ops[i]) {
      case "put": sql.put.run(room, ops[i + 2], ops[i + 3]); break;
      case "delete": sql.delete.run(room, ops[i + 2]); break;
      case "alarm": sql.alarm.run(room, Number(ops[i + 3])); break;
      case "unalarm": sql.unalarm.run(room); break;
      default: throw new Error("unknown write " + ops[i]);
    }
  }
});
parentPort.on("message", (ops) => {
  if (ops === "checkpoint") {
    db.pragma("wal_checkpoint(PASSIVE)");
    return;
  }
  if (ops === "stop") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    apply(ops);
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;
