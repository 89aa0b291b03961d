import type { RefObject } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

/** How close to the end still counts as "at the end", in CSS pixels. */
const SLACK_PX = 48;

/**
 * Keeps a scrolling list pinned to its end as items arrive, unless the reader scrolled up to
 * read older ones. Returns the scroll handler to put on the element.
 *
 * @example const onScroll = useStickToBottom(listRef, messages.length);
 */
export function useStickToBottom(element: RefObject<HTMLElement>, itemCount: number): () => void {
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const list = element.current;
    if (list && atEnd.current) list.scrollTop = list.scrollHeight;
  }, [element, itemCount]);
  return () => {
    const list = element.current;
    if (list) atEnd.current = list.scrollHeight - list.scrollTop - list.clientHeight < SLACK_PX;
  };
}
