const warned = new Set<string>();

/**
 * Warns in the console once per distinct message: a misconfigured site or a broken relay must
 * not flood the host page's console on every event.
 */
export const warnOnce = (message: string): void => {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`parley: ${message}`);
};

/**
 * Wraps a function the host page (its events, timers, history calls) runs for us, so that no
 * error of ours ever reaches the host page's code.
 */
export const guard =
  <A extends unknown[]>(fn: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch (error) {
      warnOnce(String(error));
    }
  };
