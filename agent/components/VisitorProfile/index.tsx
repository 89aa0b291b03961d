import { useStore } from "@nanostores/preact";
import type { RosterEntry } from "../../../protocol/agent.ts";
import {
  deviceLabel,
  formatDayTime,
  localTime,
  placeLabel,
  sourceLabel,
} from "../../format/index.ts";
import { $chats } from "../../stores/chats/index.ts";
import { $now } from "../../stores/clock/index.ts";
import { showConversation } from "../../stores/conversation/index.ts";
import { EngagedTime } from "../EngagedTime/index.tsx";
import { StatusBadge } from "../StatusBadge/index.tsx";
import { UrlText } from "../UrlText/index.tsx";
import { ContactFacts, CustomDataList } from "../VisitorIdentity/index.tsx";
import { VisitorOfflineMessages } from "../VisitorOfflineMessages/index.tsx";

/**
 * What the console knows about a visitor: what they told about themselves (contact, user id,
 * the page's custom data), place, device, sources and visits; the way to their chat when they
 * have one (a chat's id is its visitor's id); and their offline messages.
 */
export function VisitorProfile({ visitor }: { visitor: RosterEntry }) {
  const visit = visitor.visit;
  const hasChat = useStore($chats).has(visitor.id);
  return (
    <section class="profile" aria-labelledby="profile-name" data-testid="visitor-profile">
      <header class="profile-head">
        <h2 id="profile-name" title={visitor.name} data-testid="profile-name">
          {visitor.name}
        </h2>
        <StatusBadge status={visitor.status} testId="profile-status" />
        {hasChat && (
          <button
            type="button"
            onClick={() => showConversation(visitor.id)}
            data-testid="profile-open-chat"
          >
            Chat
          </button>
        )}
      </header>
      <dl class="facts">
        <ContactFacts contact={visitor.contact} testId="profile" />
        <dt>Location</dt>
        <dd>{placeLabel(visitor.geo)}</dd>
        {visit?.utcOffset != null && (
          <>
            <dt>Local time</dt>
            <dd data-testid="profile-local-time">
              <LocalTime utcOffset={visit.utcOffset} />
            </dd>
          </>
        )}
        <dt>Device</dt>
        <dd data-testid="profile-device">{deviceLabel(visitor.device)}</dd>
        <dt>First touch</dt>
        <dd data-testid="profile-first-source">{sourceLabel(visitor.firstSource)}</dd>
        <dt>Last touch</dt>
        <dd data-testid="profile-last-source">{sourceLabel(visitor.source)}</dd>
        <dt>Visits</dt>
        <dd data-testid="profile-visits">{visitor.visits}</dd>
        {visit && (
          <>
            <dt>This visit</dt>
            <dd data-testid="profile-visit">
              Started {formatDayTime(visit.startedAt)} · {visit.pageviews}{" "}
              {visit.pageviews === 1 ? "page" : "pages"} · <EngagedTime entry={visitor} /> engaged
            </dd>
          </>
        )}
        {visitor.page && (
          <>
            <dt>Current page</dt>
            <dd>
              <UrlText url={visitor.page.url} testId="profile-page-url" />
            </dd>
          </>
        )}
      </dl>
      {visitor.customData && (
        <section class="profile-custom-data" aria-labelledby="profile-custom-data-title">
          <h3 id="profile-custom-data-title">Custom data</h3>
          <CustomDataList data={visitor.customData} testId="profile-custom-data" />
        </section>
      )}
      <VisitorOfflineMessages visitorId={visitor.id} />
    </section>
  );
}

/** The time of day on the visitor's device, kept current by the console's one clock. */
function LocalTime({ utcOffset }: { utcOffset: number }) {
  return <>{localTime(useStore($now), utcOffset)}</>;
}
