import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root: the commands run bundled from dist/relay/, two folders down. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The relay's SQLite file: `PARLEY_DB`, else data/parley.sqlite in the project. */
export function databasePath(): string {
  return resolve(process.env.PARLEY_DB ?? join(projectRoot, "data/parley.sqlite"));
}
