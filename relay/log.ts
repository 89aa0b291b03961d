/**
 * The relay's structured log: one JSON line per event, so a refused input can be found with
 * `grep` and counted with `jq`. Rooms log every input they refuse, and nothing else per frame.
 *
 * `PARLEY_LOG` picks what is written: `info` (failures, refused input and what an operator may
 * want to see; the default), `debug` (that and what the hosts do beneath the rooms, such as a
 * Durable Object waking from hibernation), `error` (failures only; the default under vitest, so
 * tests stay quiet) or `silent`. Hosts may override it, or send the lines elsewhere, with
 * {@link configureLog}. Reads `process` only if it exists: rooms also run in Workers.
 */

import { StorageClosedError } from "./party.ts";

export type LogLevel = "silent" | "error" | "info" | "debug";

type LogConfig = { level?: LogLevel; write?: (line: string) => void };

let config: LogConfig = {};

/**
 * Overrides the environment: `level` sets what is written, `write` receives each line.
 * @example configureLog({ level: "silent" })
 */
export function configureLog(next: LogConfig): void {
  config = { ...config, ...next };
}

function currentLevel(): LogLevel {
  if (config.level) return config.level;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const level = env?.PARLEY_LOG;
  if (isLogLevel(level)) return level;
  return env?.VITEST ? "error" : "info";
}

const rank: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

/** Whether `value` names a level, as `PARLEY_LOG` may. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(rank, value);
}

function write(level: Exclude<LogLevel, "silent">, message: string, fields: object): void {
  if (rank[currentLevel()] < rank[level]) return;
  const entries = Object.entries(fields).map(([key, value]) => [key, loggable(value)]);
  const line = JSON.stringify({
    at: new Date().toISOString(),
    level,
    message,
    ...Object.fromEntries(entries),
  });
  if (config.write) config.write(line);
  else if (level === "error") console.error(line);
  else console.warn(line);
}

/** Errors lose their fields in JSON.stringify; keep what helps find the cause. */
function loggable(value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export const log = {
  /**
   * Something the relay did that an operator may want to see.
   * @example log.info("site created", { site: "demo" })
   */
  info(message: string, fields: Record<string, unknown> = {}): void {
    write("info", message, fields);
  },
  /**
   * What a host does beneath the rooms, for an operator tracing it; written only at `debug`.
   * @example log.debug("room started with sockets open", { room: "site/demo", sockets: 2 })
   */
  debug(message: string, fields: Record<string, unknown> = {}): void {
    write("debug", message, fields);
  },
  /**
   * A failure of the relay itself, not of a client. Work a room still had under way when the
   * host stopped (its `error` a StorageClosedError) is dropped as after a crash, and not reported.
   * @example log.error("alarm failed", { room: "visitor/abc", error })
   */
  error(message: string, fields: Record<string, unknown> = {}): void {
    if (fields.error instanceof StorageClosedError) return;
    write("error", message, fields);
  },
  /**
   * An input the relay refused: a frame, an event, a connection or an HTTP request.
   * @example log.refused("visitor/abc", "bad_json", "Frames are JSON objects", { conn: conn.id })
   */
  refused(room: string, code: string, reason: string, fields: Record<string, unknown> = {}): void {
    write("info", "refused", { room, code, reason, ...fields });
  },
};
