import { useEffect, useRef, useState } from "preact/hooks";
import type { Strings } from "../../locales/en.ts";
import type { Spotlight as Shown } from "../../stores/pointer/index.ts";
import { type Box, placeNote } from "./place.ts";

type SpotlightProps = {
  spotlight: Shown;
  onDismiss: () => void;
  t: Pick<Strings, "pointerTitle" | "pointerDismiss">;
};

const OUTLINE_GAP = 4;

/**
 * An agent's pointer on the page: the rest of the page dimmed, the element outlined, the
 * agent's comment beside it. It follows scrolling and resizing; Escape (focus is on its Got it
 * button) or a click dismisses it.
 * Positions are set through the CSSOM, which a strict Content-Security-Policy allows. A chunk of
 * its own that takes everything through its props, so it shares no module with the widget's
 * first load but Preact.
 */
export function Spotlight({ spotlight, onDismiss, t }: SpotlightProps) {
  const [box, setBox] = useState<Box | null>(null);
  const dismiss = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const follow = () => {
      if (!spotlight.element.isConnected) return onDismiss();
      const { top, left, width, height } = spotlight.element.getBoundingClientRect();
      setBox({ top, left, width, height });
    };
    follow();
    const observer = new ResizeObserver(follow);
    observer.observe(spotlight.element);
    addEventListener("scroll", follow, { capture: true, passive: true });
    addEventListener("resize", follow);
    return () => {
      observer.disconnect();
      removeEventListener("scroll", follow, { capture: true });
      removeEventListener("resize", follow);
      setBox(null);
    };
  }, [spotlight, onDismiss]);

  useEffect(() => dismiss.current?.focus({ preventScroll: true }), [spotlight, box !== null]);

  if (!box) return null;
  const note = placeNote(box, innerWidth, innerHeight);
  return (
    <div
      class="spotlight"
      role="dialog"
      aria-modal="true"
      aria-label={t.pointerTitle}
      onClick={onDismiss}
      onKeyDown={(event) => event.key === "Escape" && onDismiss()}
      data-testid="spotlight"
    >
      <div
        class="spotlight-outline"
        style={{
          top: `${box.top - OUTLINE_GAP}px`,
          left: `${box.left - OUTLINE_GAP}px`,
          width: `${box.width + 2 * OUTLINE_GAP}px`,
          height: `${box.height + 2 * OUTLINE_GAP}px`,
        }}
        data-testid="spotlight-outline"
      />
      <div class="spotlight-note" style={{ top: `${note.top}px`, left: `${note.left}px` }}>
        <p data-testid="spotlight-comment">{spotlight.comment}</p>
        <button ref={dismiss} type="button" class="primary" data-testid="spotlight-dismiss">
          {t.pointerDismiss}
        </button>
      </div>
    </div>
  );
}
