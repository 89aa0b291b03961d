import { atom, computed } from "nanostores";
import type { HelloFrame } from "../../../protocol/agent.ts";
import type { LoginResponse } from "../../../protocol/http.ts";
import { type ApiResult, relayApi } from "../../api/index.ts";
import { type KeyValueStore, localStore } from "../../storage/index.ts";

/** The signed-in agent, their site and the token that proves it. */
export type AgentSession = LoginResponse;

const SESSION_KEY = "parley.agent.session";

/** The session kept from an earlier page load, if it still has the right shape. */
function restoreSession(storage: KeyValueStore): AgentSession | null {
  const saved = storage.get(SESSION_KEY);
  if (!saved) return null;
  try {
    const session = JSON.parse(saved) as Partial<AgentSession>;
    const valid =
      typeof session.token === "string" &&
      typeof session.agent?.name === "string" &&
      typeof session.agent.id === "string" &&
      typeof session.site?.id === "string";
    if (valid) return session as AgentSession;
  } catch {
    // A corrupt entry is as good as none.
  }
  storage.remove(SESSION_KEY);
  return null;
}

/** The current session, or null on the login page. Survives reloads through localStorage. */
export const $session = atom<AgentSession | null>(restoreSession(localStore));

/** The signed-in agent's id, or null: tells "mine" from "a colleague's" in chats. */
export const $agentId = computed($session, (session) => session?.agent.id ?? null);

/** The login form's state: waiting for the relay, and the last error to show. */
export const $login = atom<{ pending: boolean; error: string | null }>({
  pending: false,
  error: null,
});

function setSession(session: AgentSession | null): void {
  if (session) localStore.set(SESSION_KEY, JSON.stringify(session));
  else localStore.remove(SESSION_KEY);
  $session.set(session);
}

/** Signs in with email and password; on failure {@link $login} carries the reason. */
export async function signIn(email: string, password: string): Promise<void> {
  $login.set({ pending: true, error: null });
  const result = await relayApi.login({ email, password });
  if (result.ok) {
    $login.set({ pending: false, error: null });
    setSession(result.value);
  } else {
    const error = result.status === 401 ? "Wrong email or password." : result.message;
    $login.set({ pending: false, error });
  }
}

/** Signs out here at once and tells the relay to forget the token. */
export async function signOut(): Promise<void> {
  const session = $session.get();
  setSession(null);
  if (session) await relayApi.logout(session.token);
}

/** The relay signed this session anew (the agent changed their password): keep its token. */
export function renewToken(token: string): void {
  const session = $session.get();
  if (session) setSession({ ...session, token });
}

/**
 * The relay refused the token (HTTP 401 or an `unauthorized` frame): back to the login page,
 * which says `reason` (the relay's words) or that the session has ended; unless another tab of
 * this console has renewed the session meanwhile (it changed the agent's password): then this
 * tab takes the new token from storage.
 */
export function expireSession(reason?: string): void {
  const session = $session.get();
  if (!session) return;
  const stored = restoreSession(localStore);
  if (stored && stored.token !== session.token && stored.agent.id === session.agent.id) {
    $session.set(stored);
    return;
  }
  setSession(null);
  const error = reason ? `${reason}.` : "Your session has ended. Sign in again.";
  $login.set({ pending: false, error });
}

/** Takes the agent's name, role and site from the relay's `hello`: they may have changed. */
export function applyHello(frame: HelloFrame): void {
  const session = $session.get();
  if (session) setSession({ ...session, agent: frame.agent, site: frame.site });
}

/** The failure message of `result`, after sending the agent to the login page on a 401. */
export function failureMessage(result: ApiResult<unknown> & { ok: false }): string {
  if (result.status === 401) expireSession();
  return result.message;
}
