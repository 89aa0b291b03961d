import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread that runs `program`, a CommonJS script kept as a string so that no
 * bundler rewrites it. The script finds better-sqlite3's path in `workerData.sqliteModule` and
 * its own settings in the rest of `workerData`.
 * @example sqliteThread(`const db = new (require(workerData.sqliteModule))(workerData.path);`, { path })
 */
export function sqliteThread(program: string, data: Record<string, unknown>): Worker {
  const sqliteModule = createRequire(import.meta.url).resolve("better-sqlite3");
  return new Worker(program, { eval: true, workerData: { ...data, sqliteModule } });
}
