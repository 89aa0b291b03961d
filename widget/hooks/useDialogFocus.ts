import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/**
 * Moves focus into `dialog` when it mounts (to its first field: the composer, or a form's first
 * input; else the dialog itself), and back to `returnTo` when it unmounts with focus inside, so that keyboard
 * and screen reader users are never left on a vanished element.
 */
export function useDialogFocus(
  dialog: RefObject<HTMLElement>,
  returnTo: RefObject<HTMLElement>,
): void {
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    (element.querySelector<HTMLElement>("input:not([type=file]), textarea") ?? element).focus();
    return () => {
      const root = element.getRootNode() as ShadowRoot | Document;
      // The launcher may be hidden until this render has finished (full screen on phones).
      if (element.contains(root.activeElement)) queueMicrotask(() => returnTo.current?.focus());
    };
  }, [dialog, returnTo]);
}
