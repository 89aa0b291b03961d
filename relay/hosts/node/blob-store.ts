import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BlobMeta, BlobStore } from "../../party.ts";

const keyPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The node host's {@link BlobStore}: each file as `<dir>/<key>` with its metadata beside it in
 * `<dir>/<key>.json`. Both are written to a temporary name and renamed into place, metadata
 * last, so a file is visible only once it is whole; a crash mid-write leaves only a stray
 * temporary file.
 *
 * @example const blobs = createFileBlobStore("/var/lib/parley/uploads");
 */
export function createFileBlobStore(dir: string): BlobStore {
  function pathOf(key: string): string {
    // Keys come from the rooms, which make them; the check keeps any key inside `dir`.
    if (!keyPattern.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return join(dir, key);
  }

  async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, data);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async function head(key: string): Promise<BlobMeta | null> {
    if (!keyPattern.test(key)) return null;
    try {
      return JSON.parse(await readFile(`${pathOf(key)}.json`, "utf8")) as BlobMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  return {
    async put(key, bytes, meta) {
      const path = pathOf(key);
      await mkdir(dir, { recursive: true });
      await writeAtomically(path, new Uint8Array(bytes));
      await writeAtomically(`${path}.json`, JSON.stringify(meta));
    },
    async get(key) {
      const meta = await head(key);
      if (!meta) return null;
      const data = await readFile(pathOf(key));
      const bytes = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      return { bytes: bytes as ArrayBuffer, meta };
    },
    head,
    async delete(key) {
      if (!keyPattern.test(key)) return;
      // Metadata first: without it the file is no longer visible, as before it was whole.
      await rm(`${pathOf(key)}.json`, { force: true });
      await rm(pathOf(key), { force: true });
    },
  };
}
