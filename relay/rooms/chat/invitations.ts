/**
 * Invitations on the relay. The visitor room keeps what happened to each of the latest
 * INVITATIONS_KEPT invitations a visitor was shown (shown, accepted, dismissed: each once per
 * invitation id) and tells the site room, which counts them per rule for the console. The site
 * room also turns its rules into what the visitor's browser gets in `welcome`.
 */
import * as v from "valibot";
import {
  INVITATIONS_KEPT,
  type InvitationCounts,
  type InvitationEvent,
  type InvitationRule,
  type InvitationStats,
  type VisitorInvitationRule,
} from "../../../protocol/index.ts";
import type { Json, RoomStorage } from "../../party.ts";
import type { ApplyOutcome } from "../trail.ts";
import { RecentIds } from "./recent-ids.ts";

export type InvitationAction = "shown" | "accepted" | "dismissed";

/** Counts of agents' and the host page's invitations, which have no rule, go under this key. */
export const MANUAL_INVITATIONS = "manual";

/** What the visitor room keeps of one invitation, under `invitation:<id>`. */
export type InvitationRecord = {
  ruleId: string | null;
  text: string;
  sender: string | null;
  actions: InvitationAction[];
};

/** `POST /invitations/count` on the site room, from a visitor room. */
export const InvitationCountBodySchema = v.object({
  counts: v.array(
    v.object({
      ruleId: v.pipe(v.string(), v.maxLength(64)),
      action: v.picklist(["shown", "accepted", "dismissed"]),
    }),
  ),
});
export type InvitationCount = v.InferOutput<typeof InvitationCountBodySchema>["counts"][number];

const invitationKey = (id: string) => `invitation:${id}`;

/**
 * A visitor's invitations: applies `invitation` events and replies, collecting writes (stored
 * by the room with the frame's other events) and counts (sent to the site room once stored).
 * Records are read from storage when needed, not kept in memory: a visitor sees few, and a
 * forged stream of them must not grow the room.
 * A class, not a factory: one is made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example
 * const invitations = new InvitationLog(room.storage);
 * await invitations.load();
 * await invitations.apply(event);
 */
export class InvitationLog {
  /** Which invitations are kept, oldest first: the oldest is deleted past INVITATIONS_KEPT. */
  private readonly kept = new RecentIds("invitations", INVITATIONS_KEPT);
  // Made per frame and dropped when taken, never kept empty (see trail.ts). `writes` holds
  // the records the frame changed, which storage has not got yet.
  private writes: Map<string, InvitationRecord> | undefined;
  private deletes: string[] | undefined;
  private counts: InvitationCount[] | undefined;

  constructor(private readonly storage: RoomStorage) {}

  /** Reads which invitations are kept; forgets the rest (the room reloads after a failed write). */
  async load(): Promise<void> {
    await this.kept.load(this.storage);
    this.writes = undefined;
    this.deletes = undefined;
    this.counts = undefined;
  }

  /** An `invitation` event: counted the first time its invitation and action are seen. */
  async apply(event: InvitationEvent): Promise<ApplyOutcome> {
    const known = await this.read(event.invitationId);
    if (known?.actions.includes(event.action)) return "duplicate";
    if (!known) this.keep(event.invitationId);
    const record = known ?? {
      ruleId: event.ruleId ?? null,
      text: event.text,
      sender: event.sender,
      actions: [],
    };
    this.mark(event.invitationId, record, event.action);
    return "stored";
  }

  /**
   * The visitor replied to invitation `id`: answers the invitation the first time (the chat
   * then starts from it), undefined when it was never shown or was answered already.
   */
  async accept(id: string): Promise<InvitationRecord | undefined> {
    const record = await this.read(id);
    if (!record || record.actions.includes("accepted")) return undefined;
    this.mark(id, record, "accepted");
    return record;
  }

  /** Adds the writes since the last call to `put`, and the keys to delete to `deleted`. */
  takeChanges(put: Map<string, Json>, deleted: string[]): void {
    for (const [key, record] of this.writes ?? []) put.set(key, record);
    deleted.push(...(this.deletes ?? []));
    this.kept.takeChanges(put);
    this.writes = undefined;
    this.deletes = undefined;
  }

  /** The counts since the last call, for the site room. */
  takeCounts(): InvitationCount[] {
    const taken = this.counts ?? [];
    this.counts = undefined;
    return taken;
  }

  private async read(id: string): Promise<InvitationRecord | undefined> {
    const key = invitationKey(id);
    return this.writes?.get(key) ?? (await this.storage.get<InvitationRecord>(key));
  }

  /** Keeps a new invitation; the oldest kept one goes past the cap. */
  private keep(id: string): void {
    for (const dropped of this.kept.add(id)) {
      const key = invitationKey(dropped);
      this.writes?.delete(key);
      this.deletes ??= [];
      this.deletes.push(key);
    }
  }

  private mark(id: string, record: InvitationRecord, action: InvitationAction): void {
    record.actions.push(action);
    this.writes ??= new Map();
    this.writes.set(invitationKey(id), record);
    this.counts ??= [];
    this.counts.push({ ruleId: record.ruleId ?? MANUAL_INVITATIONS, action });
  }
}

/**
 * Adds `counts` to a site's stats, for its rules (`ruleIds`) and manual invitations only: the
 * visitor's browser names the rule, and could name any. Counts of rules the site no longer has
 * are dropped too, so the stats hold a key per rule at most. Built without a prototype, since a
 * rule id may be `constructor` or `__proto__`.
 * @example addCounts({}, [{ ruleId: "rule-0001", action: "shown" }], ["rule-0001"])
 */
export function addCounts(
  stats: InvitationStats,
  counts: InvitationCount[],
  ruleIds: readonly string[],
): InvitationStats {
  const counted = new Set([...ruleIds, MANUAL_INVITATIONS]);
  const next: InvitationStats = Object.create(null);
  for (const [ruleId, current] of Object.entries(stats)) {
    if (counted.has(ruleId)) next[ruleId] = current;
  }
  for (const { ruleId, action } of counts) {
    if (!counted.has(ruleId)) continue;
    const current: InvitationCounts = next[ruleId] ?? { shown: 0, accepted: 0, dismissed: 0 };
    next[ruleId] = { ...current, [action]: current[action] + 1 };
  }
  return next;
}

/**
 * The enabled rules as the visitor's browser gets them, each with its sender's name (a rule
 * whose agent was removed shows the site's team).
 */
export function visitorRules(
  rules: InvitationRule[],
  agentName: (id: string) => string | undefined,
): VisitorInvitationRule[] {
  return rules
    .filter((rule) => rule.enabled)
    .map(({ id, conditions, message, whenOffline, dismissDays, notOnMobile, senderId }) => ({
      id,
      conditions,
      message,
      whenOffline,
      dismissDays,
      notOnMobile,
      sender: (senderId && agentName(senderId)) || null,
    }));
}
