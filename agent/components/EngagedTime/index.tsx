import { useStore } from "@nanostores/preact";
import type { RosterEntry } from "../../../protocol/agent.ts";
import { formatDuration } from "../../format/index.ts";
import { $now } from "../../stores/clock/index.ts";
import { shownEngagedMs } from "../../stores/roster/index.ts";

/**
 * Engaged time of the visitor's current visit, ticking with the console's one clock, never
 * going back for the same visit.
 */
export function EngagedTime({ entry }: { entry: Pick<RosterEntry, "id" | "status" | "visit"> }) {
  const now = useStore($now);
  return <>{formatDuration(shownEngagedMs(entry, now))}</>;
}
