/**
 * Per-connection checks every inbound frame goes through before a room looks at it: size, rate,
 * JSON, frame type and schema. A refused frame is answered with an error frame and logged;
 * too many refusals in a minute close the socket with 1008, and the room keeps serving others.
 */
import * as v from "valibot";
import {
  type ErrorCode,
  type ErrorFrame,
  FRAME_BURST,
  FRAME_BYTES,
  FRAMES_PER_SECOND,
  STRIKES_BEFORE_CLOSE,
} from "../protocol/index.ts";
import { log } from "./log.ts";
import type { Connection } from "./party.ts";

/** Why an input was refused, as the client is told. */
export type Refusal = { code: ErrorCode; message: string };

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export type GuardLimits = {
  frameBytes: number;
  framesPerSecond: number;
  frameBurst: number;
  strikesBeforeClose: number;
  /** Window in which strikes count, in ms. */
  strikeWindowMs: number;
};

const defaultLimits: GuardLimits = {
  frameBytes: FRAME_BYTES,
  framesPerSecond: FRAMES_PER_SECOND,
  frameBurst: FRAME_BURST,
  strikesBeforeClose: STRIKES_BEFORE_CLOSE,
  strikeWindowMs: 60_000,
};

/**
 * The checks of one connection, with its token bucket and its recent strikes. `now` is
 * injectable so tests need not sleep.
 *
 * A class, not a factory: one is made per connection, and methods on the prototype cost nothing
 * per connection.
 * @example const guard = new FrameGuard(); const admitted = guard.admit(message)
 */
export class FrameGuard {
  private readonly now: () => number;
  private readonly limits: GuardLimits;
  private tokens: number;
  private refilledAt: number;
  private strikes: number[] = [];

  constructor(options: { now?: () => number; limits?: Partial<GuardLimits> } = {}) {
    this.now = options.now ?? Date.now;
    this.limits = { ...defaultLimits, ...options.limits };
    this.tokens = this.limits.frameBurst;
    this.refilledAt = this.now();
  }

  /** Rate, size and JSON checks: the parsed value, or why the frame is refused. */
  admit(message: string): Checked<unknown> {
    const limits = this.limits;
    if (!this.takeToken()) {
      return refuse(
        "rate_limited",
        `Too many frames: at most ${limits.framesPerSecond} per second, bursts of ${limits.frameBurst}`,
      );
    }
    if (utf8Length(message, limits.frameBytes) > limits.frameBytes) {
      return refuse("too_large", `Frames are limited to ${limits.frameBytes} bytes`);
    }
    try {
      return { ok: true, value: JSON.parse(message) };
    } catch {
      return refuse("bad_json", "A frame must be one JSON object");
    }
  }

  /** Counts a refused frame; true when the connection has had too many and must be closed. */
  strike(): boolean {
    const time = this.now();
    this.strikes = this.strikes.filter((at) => time - at < this.limits.strikeWindowMs);
    this.strikes.push(time);
    return this.strikes.length >= this.limits.strikesBeforeClose;
  }

  private takeToken(): boolean {
    const time = this.now();
    this.tokens = Math.min(
      this.limits.frameBurst,
      this.tokens + ((time - this.refilledAt) / 1000) * this.limits.framesPerSecond,
    );
    this.refilledAt = time;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** UTF-8 length of `text`, exact only when it is near `cap` (encoding is the slow part). */
function utf8Length(text: string, cap: number): number {
  // A UTF-16 code unit takes 1 to 3 bytes in UTF-8, so most frames need no encoding.
  if (text.length > cap) return text.length;
  if (text.length * 3 <= cap) return text.length;
  return new TextEncoder().encode(text).length;
}

function refuse(code: ErrorCode, message: string): { ok: false } & Refusal {
  return { ok: false, code, message };
}

/** A variant schema over `type`, as protocol/ defines every client frame union. */
type FrameUnion = v.GenericSchema & {
  readonly options: readonly {
    readonly entries: { readonly type: { readonly literal: string } };
  }[];
};

/**
 * Checks a parsed frame against a union of frame schemas, telling an unknown `type` (the client
 * may be newer than the relay) from a known frame with bad fields.
 * @example const frame = readFrame(VisitorClientFrameSchema, admitted.value)
 */
export function readFrame<S extends FrameUnion>(
  schema: S,
  value: unknown,
): Checked<v.InferOutput<S>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse("bad_frame", "A frame must be a JSON object with a type");
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") return refuse("bad_frame", "A frame needs a string type");
  if (!schema.options.some((option) => option.entries.type.literal === type)) {
    const known = schema.options.map((option) => option.entries.type.literal).join(", ");
    return refuse("unknown_type", `Unknown frame type "${type.slice(0, 64)}"; known: ${known}`);
  }
  return validate(schema, value, "bad_frame");
}

/**
 * Validates `value` with `schema`; a refusal names the first problem and where it is.
 * @example validate(TrackingEventSchema, event, "invalid_event")
 */
export function validate<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  code: ErrorCode,
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(variantOption(schema, value) ?? schema, value);
  if (result.success) return { ok: true, value: result.output };
  return refuse(code, describeIssue(result.issues[0]));
}

type VariantSchema = v.GenericSchema & {
  readonly type: "variant";
  readonly key: string;
  readonly options: readonly {
    readonly entries: Record<string, { type: string; literal?: unknown }>;
  }[];
};

/** Each variant schema's options by the literal of their discriminator, built on first use. */
const optionsByLiteral = new WeakMap<object, Map<unknown, v.GenericSchema> | null>();

/**
 * The option of a variant schema that `value`'s discriminator names, or undefined when the
 * schema is no variant or names none (then the variant's own check says what is wrong). This is
 * the option the variant would pick, found without trying each option's discriminator in turn:
 * with a dozen event kinds that took an allocation per kind for every event.
 */
function variantOption(schema: v.GenericSchema, value: unknown): v.GenericSchema | undefined {
  if ((schema as { type?: string }).type !== "variant") return undefined;
  if (typeof value !== "object" || value === null) return undefined;
  const variant = schema as VariantSchema;
  let options = optionsByLiteral.get(variant);
  if (options === undefined) {
    options = new Map();
    for (const option of variant.options) {
      const discriminator = option.entries?.[variant.key];
      // A nested variant or a discriminator that is no literal: the variant checks for itself.
      if (discriminator?.type !== "literal") {
        options = null;
        break;
      }
      options.set(discriminator.literal, option as unknown as v.GenericSchema);
    }
    optionsByLiteral.set(variant, options);
  }
  return options?.get((value as Record<string, unknown>)[variant.key]);
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  // Variant issues say only "Invalid type"; their sub-issues say what is wrong.
  const deepest = issue.issues?.[0] ?? issue;
  const path = v.getDotPath(deepest) ?? v.getDotPath(issue);
  return path ? `${path}: ${deepest.message}` : deepest.message;
}

/**
 * Sends a frame; connections never throw on send.
 * @example sendFrame(conn, { type: "welcome", visitorId, name })
 */
export function sendFrame(conn: Connection, frame: object): void {
  conn.send(JSON.stringify(frame));
}

/**
 * Refuses a connection: error frame, log line, close 1008.
 * @example return refuseConnection(conn, "visitor/abc", { code: "bad_secret", message: "..." })
 */
export function refuseConnection(conn: Connection, room: string, refusal: Refusal): void {
  log.refused(room, refusal.code, refusal.message, { conn: conn.id, stage: "connect" });
  sendFrame(conn, {
    type: "error",
    code: refusal.code,
    message: refusal.message,
  } satisfies ErrorFrame);
  conn.close(1008, refusal.message.slice(0, 120));
}

/**
 * The guards of a room's connections, keyed by connection id. `receive` runs every check and
 * answers a refused frame itself; rooms handle only what it returns.
 *
 * A class, not a factory: one is made per room, visitor rooms included, and methods on the
 * prototype cost nothing per room.
 * @example
 * const guards = new ConnectionGuards("visitor/abc");
 * const frame = guards.receive(conn, message, VisitorClientFrameSchema);
 * if (frame) handle(frame);
 */
export class ConnectionGuards {
  private readonly guards = new Map<string, FrameGuard>();

  constructor(
    private readonly room: string,
    private readonly options: ConstructorParameters<typeof FrameGuard>[0] = {},
  ) {}

  /**
   * The frame if it passed every check; otherwise undefined, after the error frame, the log
   * line and, on the last strike, the close.
   */
  receive<S extends FrameUnion>(
    conn: Connection,
    message: string,
    schema: S,
  ): v.InferOutput<S> | undefined {
    const admitted = this.guardOf(conn).admit(message);
    const frame = admitted.ok ? readFrame(schema, admitted.value) : admitted;
    if (frame.ok) return frame.value;
    this.refuse(conn, frame);
    return undefined;
  }

  /**
   * Answers an input refused after the frame checks (e.g. a `trail:get` for an unknown
   * visitor); counts a strike unless `strike` is false (the client did nothing wrong).
   */
  refuse(conn: Connection, refusal: Refusal, { strike = true }: { strike?: boolean } = {}): void {
    const closing = strike && this.guardOf(conn).strike();
    log.refused(this.room, refusal.code, refusal.message, { conn: conn.id, closing });
    sendFrame(conn, {
      type: "error",
      code: refusal.code,
      message: refusal.message,
    } satisfies ErrorFrame);
    if (closing) {
      this.guards.delete(conn.id);
      conn.close(1008, "too many refused frames");
    }
  }

  /** Drops a closed connection's state. */
  forget(conn: Connection): void {
    this.guards.delete(conn.id);
  }

  private guardOf(conn: Connection): FrameGuard {
    let guard = this.guards.get(conn.id);
    if (!guard) {
      guard = new FrameGuard(this.options);
      this.guards.set(conn.id, guard);
    }
    return guard;
  }
}
