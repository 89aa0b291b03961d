import type { ComponentChildren, JSX } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/** The rows to render, `[start, end)`, where they sit, and the height of the whole list. */
export type ListWindow = { start: number; end: number; offset: number; total: number };

/**
 * Which rows of a fixed-row-height list are in view at `scrollTop`, plus `overscan` rows on
 * either side so fast scrolling does not show blanks. A `scrollTop` past the end (the list
 * just shrank) is clamped, as the browser is about to do.
 *
 * @example listWindow({ count: 5000, rowHeight: 40, scrollTop: 400, viewportHeight: 200, overscan: 2 })
 *   // { start: 8, end: 17, offset: 320, total: 200000 }
 */
export function listWindow({
  count,
  rowHeight,
  scrollTop,
  viewportHeight,
  overscan,
}: {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  overscan: number;
}): ListWindow {
  const total = count * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
  const viewport = Math.max(0, viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewport));
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToReveal({
  index,
  rowHeight,
  scrollTop,
  viewportHeight,
}: {
  index: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
}): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

type VirtualListProps<T> = Omit<JSX.HTMLAttributes<HTMLDivElement>, "children" | "onScroll"> & {
  items: readonly T[];
  /** Every row's height in CSS pixels; rows must be exactly this tall. */
  rowHeight: number;
  /** Extra rows rendered above and below the viewport. */
  overscan?: number;
  /** Scrolls this row into view whenever the number changes (keyboard navigation). */
  revealIndex?: number;
  /** Renders one row; give it a `key`. */
  renderRow: (item: T, index: number) => ComponentChildren;
};

/**
 * A scrolling list that renders only the rows in view, so 5,000 items cost the same as 30.
 * Extra props (role, aria-*, handlers) go on the scrolling element.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  overscan = 6,
  revealIndex = -1,
  renderRow,
  class: className,
  ...rest
}: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewportHeight(element.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || revealIndex < 0) return;
    element.scrollTop = scrollTopToReveal({
      index: revealIndex,
      rowHeight,
      scrollTop: element.scrollTop,
      viewportHeight: element.clientHeight,
    });
  }, [revealIndex, rowHeight]);

  const { start, end, offset, total } = listWindow({
    count: items.length,
    rowHeight,
    scrollTop,
    viewportHeight,
    overscan,
  });
  return (
    <div
      {...rest}
      ref={scroller}
      class={`virtual-list ${className ?? ""}`}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div class="virtual-list-sizer" style={{ height: `${total}px` }}>
        <div class="virtual-list-rows" style={{ transform: `translateY(${offset}px)` }}>
          {items.slice(start, end).map((item, i) => renderRow(item, start + i))}
        </div>
      </div>
    </div>
  );
}
