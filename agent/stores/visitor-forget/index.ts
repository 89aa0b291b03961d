import { relayApi } from "../../api/index.ts";
import { clearSelection } from "../selection/index.ts";
import { $session, failureMessage } from "../session/index.ts";

/**
 * Deletes everything the relay stores of a visitor (admins only) and closes their panel; the
 * relay takes them off every agent's lists. Null when it did, else why not.
 */
export async function forgetVisitor(visitorId: string): Promise<string | null> {
  const session = $session.get();
  if (!session) return "Sign in first.";
  const result = await relayApi.forgetVisitor(session.token, { visitorId });
  if (!result.ok) return failureMessage(result);
  // A tab of theirs still open comes back under the same id, as a new visitor: not this one.
  clearSelection();
  return null;
}
