import type { Json, ListOptions, RoomStorage } from "../../../party.ts";

/** Durable Objects take at most this many keys in one `get`, `put` or `delete`. */
const KEYS_PER_CALL = 128;

/**
 * A room's storage on a Durable Object: the object's own key-value storage, which the room
 * interface follows closely. Calls of more than 128 keys are split, and the parts are made
 * without an `await` between them, so that the object commits them together (its writes
 * coalesce until the next `await`): `putMany` still lands whole.
 *
 * @example
 * const storage = new DurableStorage(ctx.storage);
 * await storage.putMany(new Map([["visitor", record]]));
 */
export class DurableStorage implements RoomStorage {
  constructor(private readonly kv: DurableObjectStorage | DurableObjectTransaction) {}

  get<T extends Json>(key: string): Promise<T | undefined> {
    return this.kv.get<T>(key);
  }

  async getMany<T extends Json>(keys: string[]): Promise<Map<string, T>> {
    const parts = await Promise.all(chunks(keys).map((part) => this.kv.get<T>(part)));
    return new Map(parts.flatMap((part) => [...part]));
  }

  put(key: string, value: Json): Promise<void> {
    return this.kv.put(key, value);
  }

  async putMany(entries: Record<string, Json> | ReadonlyMap<string, Json>): Promise<void> {
    const all = entries instanceof Map ? [...entries] : Object.entries(entries);
    await Promise.all(chunks(all).map((part) => this.kv.put(Object.fromEntries(part))));
  }

  delete(key: string): Promise<boolean> {
    return this.kv.delete(key);
  }

  async deleteMany(keys: string[]): Promise<number> {
    const counts = await Promise.all(chunks(keys).map((part) => this.kv.delete(part)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  list<T extends Json>(options: ListOptions = {}): Promise<Map<string, T>> {
    return this.kv.list<T>(options);
  }

  transaction<T>(fn: (txn: RoomStorage) => Promise<T>): Promise<T> {
    if (!("transaction" in this.kv)) throw new Error("transactions do not nest");
    return this.kv.transaction((txn) => fn(new DurableStorage(txn)));
  }

  setAlarm(time: number): Promise<void> {
    return this.kv.setAlarm(time);
  }

  getAlarm(): Promise<number | null> {
    return this.kv.getAlarm();
  }

  deleteAlarm(): Promise<void> {
    return this.kv.deleteAlarm();
  }
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += KEYS_PER_CALL) {
    parts.push(items.slice(start, start + KEYS_PER_CALL));
  }
  return parts;
}
