import type { WidgetSettings } from "../../protocol/chat.ts";
import type {
  TrackingEvent,
  VisitorClientFrame,
  VisitorServerFrame,
} from "../../protocol/visitor.ts";
import { createPrefs, type Prefs } from "../prefs/index.ts";
import { receiveChat, resetChat } from "../stores/chat/index.ts";
import { receiveInvitation } from "../stores/invitation/index.ts";
import { receiveOffline } from "../stores/offline/index.ts";
import { startSession } from "../stores/session/index.ts";
import { receiveSettings } from "../stores/settings/index.ts";
import { receiveRefusal } from "../stores/ui/index.ts";

/** Site settings for tests: everything at its plainest. */
export const SETTINGS: WidgetSettings = {
  color: "#0a7d32",
  position: "right",
  launcherText: "",
  greeting: "Hello from the shop",
  prechat: { name: "off", email: "off", phone: "off" },
  whenOffline: "form",
};

let visitors = 0;

/**
 * A widget session over a fake channel: what the widget records and sends is kept, and
 * `receive` delivers relay frames to the stores as the tracker's channel would. Each call is a
 * new visitor of a new site, so stores start over; pass `visitorId` and `prefs` of an earlier
 * session for a later page load of the same visitor.
 */
export function startTestSession(
  reload: { visitorId?: string; prefs?: Prefs; settings?: WidgetSettings } = {},
) {
  const recorded: TrackingEvent[] = [];
  const sent: VisitorClientFrame[] = [];
  visitors++;
  const visitorId = reload.visitorId ?? `visitor-${visitors}`.padEnd(12, "0");
  const optOut = { calls: 0 };
  const session = startSession({
    site: `site-${visitors}`,
    relay: "https://relay.test/loader.js",
    channel: {
      visitorId,
      secret: "secret-secret-secret",
      record: (event) => recorded.push(event),
      send: (frame) => sent.push(frame) > 0,
    },
    prefs: reload.prefs ?? createPrefs(`site-${visitors}`),
    optOut: () => optOut.calls++,
  });
  const receive = (frame: VisitorServerFrame) => {
    receiveSettings(frame);
    receiveChat(frame);
    receiveOffline(frame);
    receiveInvitation(frame);
    receiveRefusal(frame);
  };
  resetChat();
  receive({ type: "welcome", visitorId, name: "Visitor 1", settings: reload.settings ?? SETTINGS });
  return { session, visitorId, recorded, sent, optOut, receive };
}
