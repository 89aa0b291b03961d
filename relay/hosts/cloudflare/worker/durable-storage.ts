import type { Json, ListOptions, RoomStorage } from "../../../party.ts";

/**
 * A room's storage on a Durable Object: the object's own key-value storage (SQLite-backed, which
 * takes any number of keys in one call), which the room interface follows closely. One call
 * commits whole, so `putMany` lands whole as the rooms expect.
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
    return keys.length > 0 ? this.kv.get<T>(keys) : new Map();
  }

  put(key: string, value: Json): Promise<void> {
    return this.kv.put(key, value);
  }

  async putMany(entries: Record<string, Json> | ReadonlyMap<string, Json>): Promise<void> {
    const record = entries instanceof Map ? Object.fromEntries(entries) : entries;
    if (Object.keys(record).length > 0) await this.kv.put(record);
  }

  delete(key: string): Promise<boolean> {
    return this.kv.delete(key);
  }

  async deleteMany(keys: string[]): Promise<number> {
    return keys.length > 0 ? this.kv.delete(keys) : 0;
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
