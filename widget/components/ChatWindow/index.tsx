import { useStore } from "@nanostores/preact";
import type { RefObject } from "preact";
import { useRef } from "preact/hooks";
import { useDialogFocus } from "../../hooks/useDialogFocus.ts";
import { useReadWhileOpen } from "../../hooks/useReadWhileOpen.ts";
import { $settings } from "../../stores/settings/index.ts";
import { $panel, $reopened, closeChat } from "../../stores/ui/index.ts";
import { Composer } from "../Composer/index.tsx";
import { Header } from "../Header/index.tsx";
import { MessageList } from "../MessageList/index.tsx";
import { OfflineForm } from "../OfflineForm/index.tsx";
import { PrechatForm } from "../PrechatForm/index.tsx";

/** When the window covers the whole screen (as widget.css lays it out). */
const FULL_SCREEN = "(max-width: 480px)";

const FOCUSABLE =
  "button:not([disabled]), [href], input:not([disabled]), textarea:not([disabled]), [tabindex='0']";

/**
 * Full screen, the window is all there is to see: Tab and Shift+Tab cycle within it, as in a
 * modal dialog, instead of going on to the page hidden behind it.
 */
function keepTabInside(event: KeyboardEvent, dialog: HTMLElement): void {
  if (event.key !== "Tab" || !matchMedia(FULL_SCREEN).matches) return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.getClientRects().length > 0,
  );
  const active = (dialog.getRootNode() as ShadowRoot).activeElement;
  const [first, last] = [focusable[0], focusable.at(-1)];
  const leaving = event.shiftKey ? active === first || active === dialog : active === last;
  if (!leaving) return;
  event.preventDefault();
  (event.shiftKey ? last : first)?.focus();
}

/** The id of the window, for the launcher's `aria-controls`. */
export const WINDOW_ID = "parley-window";

/**
 * The open chat: header, conversation, and under it the composer, the pre-chat form or the
 * offline form. A non-modal dialog: focus moves in when the visitor opens it (not when it shows
 * again on the tab's next page) and back to the launcher when it closes; Escape closes it.
 * Full screen on narrow screens, where Tab stays inside it.
 */
export function ChatWindow({ launcher }: { launcher: RefObject<HTMLButtonElement> }) {
  const { position } = useStore($settings);
  const panel = useStore($panel);
  const dialog = useRef<HTMLElement>(null);
  const reopened = useStore($reopened);
  useDialogFocus(dialog, launcher, panel, !reopened);
  useReadWhileOpen();
  return (
    <section
      id={WINDOW_ID}
      ref={dialog}
      class={`window ${position}`}
      role="dialog"
      aria-labelledby="parley-title"
      tabIndex={-1}
      data-testid="chat-window"
      // Once the visitor is in it, the window is theirs again: its forms take focus as usual.
      onFocusIn={() => $reopened.set(false)}
      onKeyDown={(event) => {
        if (event.key === "Escape") closeChat();
        if (dialog.current) keepTabInside(event, dialog.current);
      }}
    >
      <Header titleId="parley-title" />
      <MessageList />
      {panel === "offline" ? <OfflineForm /> : panel === "prechat" ? <PrechatForm /> : <Composer />}
    </section>
  );
}
