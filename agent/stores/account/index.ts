import { atom } from "nanostores";
import { relayApi } from "../../api/index.ts";
import { $session, failureMessage, renewToken } from "../session/index.ts";

type PasswordChangeState = { pending: boolean; error: string | null; saved: boolean };

/** The change-password form's state: waiting for the relay, its last error, whether it took. */
export const $passwordChange = atom<PasswordChangeState>({
  pending: false,
  error: null,
  saved: false,
});

/** Forgets the last session's form, so the next agent never sees it. */
export function resetAccount(): void {
  $passwordChange.set({ pending: false, error: null, saved: false });
}

/**
 * Changes the signed-in agent's password; true when the relay took it. The agent's other
 * sessions end; this one goes on with the token the relay sends back.
 */
export async function changePassword(
  currentPassword: string,
  newPassword: string,
  repeated: string,
): Promise<boolean> {
  const session = $session.get();
  if (!session) return false;
  if (newPassword !== repeated) {
    $passwordChange.set({ pending: false, error: "The new passwords differ.", saved: false });
    return false;
  }
  $passwordChange.set({ pending: true, error: null, saved: false });
  const result = await relayApi.changePassword(session.token, { currentPassword, newPassword });
  if (!result.ok) {
    const error =
      result.status === 403 ? "The current password is not right." : failureMessage(result);
    $passwordChange.set({ pending: false, error, saved: false });
    return false;
  }
  renewToken(result.value.token);
  $passwordChange.set({ pending: false, error: null, saved: true });
  return true;
}
