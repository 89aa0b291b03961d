import { useStore } from "@nanostores/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { $strings } from "../../stores/locale/index.ts";
import { $spotlight, dismissSpotlight } from "../../stores/pointer/index.ts";
import { LinkedText } from "../LinkedText/index.tsx";
import { type Box, placeNote } from "./place.ts";

const OUTLINE_GAP = 4;

/**
 * An agent's pointer on the page: the rest of the page dimmed, the element outlined, the
 * agent's comment beside it. It follows scrolling and resizing; Escape (focus is on its Got it
 * button) or a click dismisses it.
 * Positions are set through the CSSOM, which a strict Content-Security-Policy allows.
 */
export function Spotlight() {
  const spotlight = useStore($spotlight);
  const t = useStore($strings);
  const [box, setBox] = useState<Box | null>(null);
  const dismiss = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!spotlight) return;
    const follow = () => {
      if (!spotlight.element.isConnected) return dismissSpotlight();
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
  }, [spotlight]);

  useEffect(() => dismiss.current?.focus({ preventScroll: true }), [spotlight, box !== null]);

  if (!spotlight || !box) return null;
  const note = placeNote(box, innerWidth, innerHeight);
  return (
    <div
      class="spotlight"
      role="dialog"
      aria-modal="true"
      aria-label={t.pointerTitle}
      onClick={dismissSpotlight}
      onKeyDown={(event) => event.key === "Escape" && dismissSpotlight()}
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
        <p data-testid="spotlight-comment">
          <LinkedText text={spotlight.comment} />
        </p>
        <button ref={dismiss} type="button" class="primary" data-testid="spotlight-dismiss">
          {t.pointerDismiss}
        </button>
      </div>
    </div>
  );
}
