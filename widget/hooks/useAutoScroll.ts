import type { RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 48;

/**
 * Keeps `list` scrolled to its end whenever `content` changes or its children grow, unless the
 * visitor has scrolled up to read earlier messages.
 */
export function useAutoScroll(list: RefObject<HTMLElement>, content: unknown): void {
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [list, content]);
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < SLACK;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    // Content that grows by itself (an image loading, the typing indicator) keeps the end in view.
    const growth = new ResizeObserver(() => {
      if (atEnd.current) element.scrollTop = element.scrollHeight;
    });
    for (const child of element.children) growth.observe(child);
    return () => {
      element.removeEventListener("scroll", onScroll);
      growth.disconnect();
    };
  }, [list]);
}
