import type { VisitorStatus } from "../../../protocol/agent.ts";
import { STATUS_LABELS } from "../../format/index.ts";

/** A visitor's presence as a coloured badge. */
export function StatusBadge({ status, testId }: { status: VisitorStatus; testId: string }) {
  return (
    <span class={`status-badge status-${status}`} data-testid={testId} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
