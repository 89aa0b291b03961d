/**
 * Takes SQLite's WAL checkpoints off the event loop. Left to itself, SQLite checkpoints inside
 * a commit once the WAL passes 1,000 pages: the relay's thread then copies pages into the
 * database file and waits for its fsync, and every socket waits with it (20-30 ms stalls
 * under load). Here a worker thread with its own connection to the file checkpoints every
 * {@link CHECKPOINT_EVERY_MS}, in PASSIVE mode: it neither waits for the relay's writes nor
 * holds them up.
 *
 * The WAL starts over only when a commit begins with every frame of it checkpointed. Under
 * steady writes that never happens by itself (the writer commits while the checkpoint runs):
 * the WAL grew by 5 MB a second with 1,000 visitors sending an event a second each, and never
 * shrank. So after each checkpoint `onCheckpoint` runs, and the writer checkpoints the few
 * frames committed meanwhile itself, between two commits: its next commit starts the WAL over.
 */
import { log } from "../../log.ts";
import { sqliteThread } from "./sqlite-thread.ts";

export const CHECKPOINT_EVERY_MS = 1000;

export type Checkpointer = {
  /** Stops the worker once its checkpoint in progress, if any, is done. */
  stop(): Promise<void>;
};

/**
 * Starts checkpointing the WAL of the database at `path`; the caller turns SQLite's own
 * checkpoints off (`PRAGMA wal_autocheckpoint = 0`) on its connection.
 */
export function startCheckpointer(path: string, onCheckpoint: () => void): Checkpointer {
  const worker = sqliteThread(checkpointLoop, { path, everyMs: CHECKPOINT_EVERY_MS });
  worker.on("message", onCheckpoint);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("error", (error) => log.error("checkpointer failed", { path, error }));
  return {
    async stop() {
      worker.postMessage("stop");
      await exited;
    },
  };
}

/**
 * The worker's whole program (see `sqliteThread`); `workerData` has `path` and `everyMs`. It
 * says when a checkpoint copied anything.
 */
const checkpointLoop = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.sqliteModule);
const db = new Database(workerData.path);
const timer = setInterval(() => {
  const [result] = db.pragma("wal_checkpoint(PASSIVE)");
  if (result.checkpointed > 0) parentPort.postMessage(result.checkpointed);
}, workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
