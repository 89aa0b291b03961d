import { relayApi } from "../../api/index.ts";
import { $session, expireSession, failureMessage } from "../session/index.ts";

/**
 * Deletes the site for good (admins), `confirm` being its id as the admin typed it. Every
 * session ends, this one too: the console goes back to the login page, which says why. Null
 * when the relay deleted it, else why not.
 */
export async function deleteSite(confirm: string): Promise<string | null> {
  const session = $session.get();
  if (!session) return "Sign in first.";
  const result = await relayApi.deleteSite(session.token, { confirm });
  if (!result.ok) return failureMessage(result);
  // The relay closes this console's socket saying so too; whichever comes first signs out.
  expireSession(`The site "${session.site.id}" was deleted`);
  return null;
}
