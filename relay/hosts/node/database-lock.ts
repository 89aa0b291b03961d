import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/** Another relay runs on the database: this one must not start beside it. */
export class DatabaseInUseError extends Error {
  constructor(dbPath: string) {
    super(
      `Another relay is running on ${dbPath}: stop it first, or give this one a file of its own (PARLEY_DB)`,
    );
    this.name = "DatabaseInUseError";
  }
}

/**
 * Holds `<dbPath>.lock` exclusively while the relay runs, so that a second relay on the same file
 * refuses to start: each keeps its rooms in memory, and two would overwrite each other's visitors
 * and chats. The lock is the operating system's (SQLite takes it on the file), so a relay that
 * crashed leaves none behind.
 *
 * @example
 * const lock = lockDatabase("/var/lib/parley/parley.sqlite"); // throws DatabaseInUseError
 * ...
 * lock.release();
 */
export function lockDatabase(dbPath: string): { release(): void } {
  // The first thing the relay puts in the database's folder.
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = new Database(`${dbPath}.lock`, { timeout: 0 });
  try {
    // Nothing is written to it: no journal file beside it.
    lock.pragma("journal_mode = MEMORY");
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") throw new DatabaseInUseError(dbPath);
    throw error;
  }
  return { release: () => lock.close() };
}
