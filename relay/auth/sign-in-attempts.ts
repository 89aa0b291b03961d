/**
 * Failed sign-ins per email, so that nobody can guess a password by trying many: after
 * {@link SIGN_IN_FAILURES_ALLOWED} failures within {@link SIGN_IN_WINDOW_MS}, that email is
 * refused until its oldest failure leaves the window. Unknown emails count like known ones, so
 * the answer tells nothing about which accounts exist. Kept in memory: a restart forgets it.
 */

export const SIGN_IN_FAILURES_ALLOWED = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Emails remembered at most; the one with the oldest last failure is forgotten first. */
const EMAILS_KEPT = 10_000;

export type SignInAttempts = {
  /** How long `email` must wait before it may try again, in ms; 0 when it may try now. */
  waitFor(email: string): number;
  /** Counts a failed attempt. */
  failed(email: string): void;
  /** Forgets the failures of `email` after it signed in. */
  succeeded(email: string): void;
};

/** @example const attempts = createSignInAttempts(); if (attempts.waitFor(email) > 0) ... */
export function createSignInAttempts(now: () => number = Date.now): SignInAttempts {
  /** Failure times per email, oldest first; Map order puts the least recently failed first. */
  const failures = new Map<string, number[]>();

  function recent(email: string): number[] {
    const since = now() - SIGN_IN_WINDOW_MS;
    const times = (failures.get(email) ?? []).filter((time) => time > since);
    if (times.length === 0) failures.delete(email);
    return times;
  }

  return {
    waitFor(email) {
      const times = recent(email);
      if (times.length < SIGN_IN_FAILURES_ALLOWED) return 0;
      return (times[0] as number) + SIGN_IN_WINDOW_MS - now();
    },
    failed(email) {
      const times = recent(email);
      times.push(now());
      failures.delete(email);
      failures.set(email, times.slice(-SIGN_IN_FAILURES_ALLOWED));
      if (failures.size > EMAILS_KEPT) failures.delete(failures.keys().next().value as string);
    },
    succeeded(email) {
      failures.delete(email);
    },
  };
}
