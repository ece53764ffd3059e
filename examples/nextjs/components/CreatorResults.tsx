"use client";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useRef, useState } from "react";
import { CreatorCardView, percent } from "@/components/CreatorCardView";
import { type ApiCreator, formatCount, platformName } from "@/lib/client/api";
import { engagementOf } from "@/lib/client/sort-filter";

const CARD_MIN = 300;
const GAP = 14;

/** Distance of `el` from the top of the document, kept current as notes above it come and go. */
function useOffsetTop(el: React.RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const node = el.current;
    if (!node) return;
    const read = () => setTop(node.getBoundingClientRect().top + window.scrollY);
    read();
    const observer = new ResizeObserver(read);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [el]);
  return top;
}

function useWidth(el: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(1100);
  useLayoutEffect(() => {
    const node = el.current;
    if (!node) return;
    setWidth(node.clientWidth);
    const observer = new ResizeObserver(() => setWidth(node.clientWidth));
    observer.observe(node);
    return () => observer.disconnect();
  }, [el]);
  return width;
}

const keyOf = (item: ApiCreator) => `${item.platform}:${item.creator.id}`;

/**
 * Creator cards in rows, only those near the viewport drawn (a 1,000-creator job would be tens
 * of thousands of elements otherwise). Rows are measured as they render, so cards may differ in height.
 */
export function VirtualCards({ items }: { items: ApiCreator[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const columns = Math.max(1, Math.floor((width + GAP) / (CARD_MIN + GAP)));
  const rows = Math.ceil(items.length / columns);
  const scrollMargin = useOffsetTop(ref);
  const virtualizer = useWindowVirtualizer({ count: rows, estimateSize: () => 250 + GAP, overscan: 3, scrollMargin });
  return (
    <div ref={ref} className="virtual" style={{ height: virtualizer.getTotalSize() }} data-testid="cards" data-total={items.length}>
      {virtualizer.getVirtualItems().map((row) => (
        <div
          key={row.key}
          data-index={row.index}
          ref={virtualizer.measureElement}
          className="cards"
          style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`, paddingBottom: GAP }}
        >
          {items.slice(row.index * columns, row.index * columns + columns).map((item) => (
            <CreatorCardView key={keyOf(item)} item={item} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** The same creators as a table, one row each, drawn only near the viewport. */
export function VirtualTable({ items }: { items: ApiCreator[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const scrollMargin = useOffsetTop(ref);
  const virtualizer = useWindowVirtualizer({ count: items.length, estimateSize: () => 49, overscan: 8, scrollMargin });
  const visible = virtualizer.getVirtualItems();
  const before = visible.length ? visible[0]!.start - scrollMargin : 0;
  const after = visible.length ? virtualizer.getTotalSize() - (visible[visible.length - 1]!.end - scrollMargin) : 0;
  return (
    <div ref={ref} className="table-scroll" data-testid="results-table" data-total={items.length}>
      <table className="results">
        <thead>
          <tr>
            <th scope="col">Creator</th>
            <th scope="col">Platform</th>
            <th scope="col" className="num">
              Followers
            </th>
            <th scope="col" className="num">
              Engagement
            </th>
            <th scope="col" className="num">
              Top post views
            </th>
            <th scope="col">Email</th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
          {visible.map((row) => {
            const item = items[row.index]!;
            const { creator } = item;
            return (
              <tr key={keyOf(item)} data-index={row.index} ref={virtualizer.measureElement} data-testid="creator-row">
                <td>
                  {creator.profileUrl ? (
                    <a href={creator.profileUrl} target="_blank" rel="noreferrer noopener" data-testid="row-handle">
                      @{creator.handle}
                    </a>
                  ) : (
                    <span data-testid="row-handle">@{creator.handle}</span>
                  )}
                  <div className="muted small">{creator.name}</div>
                </td>
                <td>{platformName(item.platform)}</td>
                <td className="num" data-testid="row-followers">
                  {creator.followers === null ? <span className="unknown">unknown</span> : formatCount(creator.followers)}
                </td>
                <td className="num">{percent(engagementOf(item))}</td>
                <td className="num">{formatCount(item.video?.statistics.views)}</td>
                <td className="small">{creator.emails.join(", ")}</td>
              </tr>
            );
          })}
          {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
}
