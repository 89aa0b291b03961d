/**
 * The latest ids of things a visitor room cannot remember every one of for good, oldest first,
 * stored as one list under one key: the profile events it applied, the invitations it keeps.
 */
import type { Json, RoomStorage } from "../../party.ts";

/**
 * Up to `cap` ids in the order they were added; the oldest fall out first.
 * A class, not a factory: a few are made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example
 * const seen = new RecentIds("profile-events", 100);
 * await seen.load(storage);
 * if (!seen.has(id)) seen.add(id);
 * seen.takeChanges(put);
 */
export class RecentIds {
  private ids: string[] = [];
  private changed = false;

  constructor(
    private readonly key: string,
    private readonly cap: number,
  ) {}

  /** Reads the stored list, forgetting what is in memory (also after a failed write). */
  async load(storage: RoomStorage): Promise<void> {
    this.ids = (await storage.get<string[]>(this.key)) ?? [];
    this.changed = false;
  }

  /** Whether `id` is among the latest `cap`. */
  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /** Adds `id` as the latest; answers the ids that fell out past the cap, oldest first. */
  add(id: string): string[] {
    this.ids.push(id);
    this.changed = true;
    const excess = this.ids.length - this.cap;
    return excess > 0 ? this.ids.splice(0, excess) : [];
  }

  /** Adds the list to `put` when it changed since the last call. */
  takeChanges(put: Map<string, Json>): void {
    if (!this.changed) return;
    put.set(this.key, this.ids);
    this.changed = false;
  }
}
