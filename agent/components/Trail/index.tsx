import { useStore } from "@nanostores/preact";
import { useMemo } from "preact/hooks";
import type { TrailVisit } from "../../../protocol/agent.ts";
import { formatDayTime, formatDuration, formatTime, sourceLabel } from "../../format/index.ts";
import { $now } from "../../stores/clock/index.ts";
import { shownEngagedMs } from "../../stores/roster/index.ts";
import { $selectedVisitor } from "../../stores/selection/index.ts";
import { $trail, currentPageEngagedMs, timelineOf } from "../../stores/trail/index.ts";
import { UrlText } from "../UrlText/index.tsx";

/** The selected visitor's trail: each visit with its page views, oldest first. */
export function Trail() {
  const { trail, loading, error } = useStore($trail);
  const visits = useMemo(() => (trail ? timelineOf(trail) : []), [trail]);
  return (
    <section
      class="trail"
      aria-labelledby="trail-title"
      aria-busy={loading}
      data-testid="trail"
      data-state={loading ? "loading" : "ready"}
    >
      <h3 id="trail-title">Trail</h3>
      {error && (
        <p class="form-error" role="alert" data-testid="trail-error">
          {error}
        </p>
      )}
      {!trail && !error && <p class="muted">Loading trail…</p>}
      {trail && visits.length === 0 && <p class="muted">No page views yet.</p>}
      <ol class="trail-visits">
        {visits.map((visit) => (
          <li key={visit.id} class="trail-visit" data-testid="trail-visit">
            <div class="trail-visit-head">
              <strong>Visit {visit.number}</strong>
              <span>{formatDayTime(visit.startedAt)}</span>
              <span class="muted">{sourceLabel(visit.source)}</span>
            </div>
            <ol class="trail-pageviews">
              {visit.pageviews.map((pageview) => (
                <li
                  key={pageview.id}
                  class="trail-pageview"
                  data-testid="trail-pageview"
                  data-pageview-id={pageview.id}
                >
                  <time
                    class="pageview-time"
                    dateTime={new Date(pageview.at).toISOString()}
                    data-testid="pageview-time"
                  >
                    {formatTime(pageview.at)}
                  </time>
                  <div class="pageview-body">
                    <div class="pageview-title" data-testid="pageview-title">
                      {pageview.title || "(no title)"}
                    </div>
                    <UrlText url={pageview.url} testId="pageview-url" />
                    <div class="pageview-times">
                      <span data-testid="pageview-engaged">
                        {pageview === visit.pageviews.at(-1) ? (
                          <LatestPageEngaged visit={visit} settledMs={pageview.engagedMs} />
                        ) : (
                          formatDuration(pageview.engagedMs)
                        )}{" "}
                        engaged
                      </span>
                      {pageview.wallMs !== null && (
                        <span data-testid="pageview-wall">
                          {formatDuration(pageview.wallMs)} on page
                        </span>
                      )}
                    </div>
                  </div>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A visit's latest page view's engaged time: on the visitor's current page it counts on with
 * the visit's engaged time in the profile above, rather than waiting for the next trail.
 */
function LatestPageEngaged({ visit, settledMs }: { visit: TrailVisit; settledMs: number }) {
  const entry = useStore($selectedVisitor);
  const now = useStore($now);
  const visitMs = entry ? shownEngagedMs(entry, now) : 0;
  return <>{formatDuration(currentPageEngagedMs(visit, entry, visitMs) ?? settledMs)}</>;
}
