import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";
import { useReturnFocus } from "./useReturnFocus.ts";

/** The dialog's first field (the composer, or a form's first input), else the dialog itself. */
const firstField = (dialog: HTMLElement) =>
  dialog.querySelector<HTMLElement>("input:not([type=file]), textarea") ?? dialog;

/**
 * Moves focus into `dialog` when it mounts (to its first field), and back to `returnTo` when it
 * unmounts with focus inside, so that keyboard and screen reader users are never left on a
 * vanished element. `content` names what the dialog shows: when it changes under the visitor
 * (the site's settings arrive and ask for the pre-chat form instead of the composer), focus
 * that fell to the page with the removed field moves to the new first field. With `takeFocus`
 * false (a window shown again on a new page, not opened by the visitor) focus stays put.
 */
export function useDialogFocus(
  dialog: RefObject<HTMLElement>,
  returnTo: RefObject<HTMLElement>,
  content: string,
  takeFocus = true,
): void {
  useReturnFocus(dialog, returnTo);
  useEffect(() => {
    const element = dialog.current;
    if (element && takeFocus) firstField(element).focus();
  }, [dialog]);

  useEffect(() => {
    const element = dialog.current;
    if (!takeFocus) return;
    const active = element?.ownerDocument.activeElement;
    // Only focus that was lost (it is on the page's body now), never focus the visitor moved.
    if (element && content && (!active || active === element.ownerDocument.body)) {
      firstField(element).focus();
    }
  }, [dialog, content, takeFocus]);
}
