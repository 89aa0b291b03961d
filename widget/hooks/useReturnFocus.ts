import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/**
 * Moves focus to `returnTo` when `element` unmounts with focus inside it (the window closing,
 * an invitation's card dismissed), so that keyboard and screen reader users are never left on
 * a vanished element, which would drop them on the page's body.
 */
export function useReturnFocus(
  element: RefObject<HTMLElement>,
  returnTo: RefObject<HTMLElement>,
): void {
  useEffect(() => {
    const node = element.current;
    if (!node) return;
    return () => {
      const root = node.getRootNode() as ShadowRoot | Document;
      // The launcher may be hidden until this render has finished (full screen on phones).
      if (node.contains(root.activeElement)) queueMicrotask(() => returnTo.current?.focus());
    };
  }, [element, returnTo]);
}
