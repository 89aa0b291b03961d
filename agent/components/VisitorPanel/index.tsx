import { useStore } from "@nanostores/preact";
import type { RosterEntry } from "../../../protocol/agent.ts";
import { clearSelection } from "../../stores/selection/index.ts";
import { $session } from "../../stores/session/index.ts";
import { ForgetVisitor } from "../ForgetVisitor/index.tsx";
import { InviteForm } from "../InviteForm/index.tsx";
import { Trail } from "../Trail/index.tsx";
import { VisitorProfile } from "../VisitorProfile/index.tsx";

/**
 * The side panel: who the selected visitor is, an invitation to chat, where they have been, and
 * for admins the way to delete their data.
 */
export function VisitorPanel({ visitor }: { visitor: RosterEntry }) {
  const admin = useStore($session)?.agent.role === "admin";
  return (
    <aside class="visitor-panel" aria-label="Visitor details" data-testid="visitor-panel">
      <button
        type="button"
        class="quiet panel-close"
        aria-label="Close visitor details"
        onClick={clearSelection}
        data-testid="visitor-panel-close"
      >
        ×
      </button>
      <VisitorProfile visitor={visitor} />
      {visitor.status !== "gone" && <InviteForm key={visitor.id} visitorId={visitor.id} />}
      <Trail />
      {admin && <ForgetVisitor key={visitor.id} visitor={visitor} />}
    </aside>
  );
}
