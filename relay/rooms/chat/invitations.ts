/**
 * Invitations on the relay. The visitor room keeps what happened to each invitation a visitor
 * was shown (shown, accepted, dismissed: each once per invitation id) and tells the site room,
 * which counts them per rule for the console. The site room also turns its rules into what the
 * visitor's browser gets in `welcome`.
 */
import * as v from "valibot";
import type {
  InvitationEvent,
  InvitationRule,
  InvitationStats,
  VisitorInvitationRule,
} from "../../../protocol/index.ts";
import type { Json, RoomStorage } from "../../party.ts";
import type { ApplyOutcome } from "../trail.ts";

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
 * A class, not a factory: one is made per visitor room, and methods on the prototype cost
 * nothing per visitor.
 * @example const invitations = new InvitationLog(room.storage); await invitations.apply(event);
 */
export class InvitationLog {
  private readonly records = new Map<string, InvitationRecord>();
  // Both made per frame and dropped when taken, never kept empty (see trail.ts).
  private writes: Map<string, Json> | undefined;
  private counts: InvitationCount[] | undefined;

  constructor(private readonly storage: RoomStorage) {}

  /** An `invitation` event: counted the first time its invitation and action are seen. */
  async apply(event: InvitationEvent): Promise<ApplyOutcome> {
    const known = await this.read(event.invitationId);
    if (known?.actions.includes(event.action)) return "duplicate";
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

  /** The writes since the last call. */
  takeChanges(): Map<string, Json> {
    const taken = this.writes ?? new Map<string, Json>();
    this.writes = undefined;
    return taken;
  }

  /** The counts since the last call, for the site room. */
  takeCounts(): InvitationCount[] {
    const taken = this.counts ?? [];
    this.counts = undefined;
    return taken;
  }

  /** Forgets what is in memory (the room reloads after a failed write). */
  reset(): void {
    this.records.clear();
    this.writes = undefined;
    this.counts = undefined;
  }

  private async read(id: string): Promise<InvitationRecord | undefined> {
    const known =
      this.records.get(id) ?? (await this.storage.get<InvitationRecord>(invitationKey(id)));
    if (known) this.records.set(id, known);
    return known;
  }

  private mark(id: string, record: InvitationRecord, action: InvitationAction): void {
    record.actions.push(action);
    this.records.set(id, record);
    this.writes ??= new Map();
    this.writes.set(invitationKey(id), record);
    this.counts ??= [];
    this.counts.push({ ruleId: record.ruleId ?? MANUAL_INVITATIONS, action });
  }
}

/** Adds `counts` to a site's stats. */
export function addCounts(stats: InvitationStats, counts: InvitationCount[]): InvitationStats {
  const next = { ...stats };
  for (const { ruleId, action } of counts) {
    const current = next[ruleId] ?? { shown: 0, accepted: 0, dismissed: 0 };
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
