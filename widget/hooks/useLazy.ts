import { useCallback, useState } from "preact/hooks";
import { warnOnce } from "../../sdk/guard/index.ts";

/**
 * A module loaded on first need (a chunk of its own, such as the emoji picker): answers the
 * module once loaded (else undefined) and a function that starts loading it.
 */
export function useLazy<T>(load: () => Promise<T>): [T | undefined, () => Promise<void>] {
  const [module, setModule] = useState<T>();
  const request = useCallback(
    () =>
      load().then(
        (loaded) => setModule(() => loaded),
        (error) => warnOnce(`could not load a part of the widget: ${error}`),
      ),
    [load],
  );
  return [module, request];
}
