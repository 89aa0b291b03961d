/**
 * A site's chat settings: how chats are routed, how the widget looks, its business hours, the
 * invitation rules, and the canned responses. Defaults apply to sites made before a setting
 * existed.
 */
import type * as v from "valibot";
import type {
  BusinessHours,
  CannedResponse,
  ChatSettingsBodySchema,
  InvitationRule,
  WidgetSettings,
} from "../../../protocol/index.ts";
import { DEFAULT_BUSINESS_HOURS } from "./business-hours.ts";
import type { Routing } from "./queue.ts";

/** What a new site's widget looks like. */
export const DEFAULT_WIDGET: WidgetSettings = {
  color: "#2563eb",
  position: "right",
  launcherText: "Chat with us",
  greeting: "Hi! How can we help?",
  prechat: { name: "optional", email: "optional", phone: "off" },
  whenOffline: "form",
};

/** New sites offer every chat to all agents. */
export const DEFAULT_ROUTING: Routing = "manual";

/** The chat settings a site keeps. */
export type ChatSettings = {
  routing: Routing;
  widget: WidgetSettings;
  businessHours: BusinessHours;
  invitations: InvitationRule[];
};

/** Settings with defaults for whatever a stored site lacks. */
export function chatSettingsOf(stored: Partial<ChatSettings>): ChatSettings {
  return {
    routing: stored.routing ?? DEFAULT_ROUTING,
    widget: { ...DEFAULT_WIDGET, ...stored.widget },
    businessHours: stored.businessHours ?? DEFAULT_BUSINESS_HOURS,
    invitations: stored.invitations ?? [],
  };
}

/** Applies a `PUT /api/site` body: given fields replace the current ones, the rest stay. */
export function updateChatSettings(
  current: ChatSettings,
  body: v.InferOutput<typeof ChatSettingsBodySchema>,
): ChatSettings {
  return {
    routing: body.routing ?? current.routing,
    widget: { ...current.widget, ...body.widget },
    businessHours: body.businessHours ?? current.businessHours,
    invitations: body.invitations ?? current.invitations,
  };
}

/** The first shortcut that appears twice, if any: shortcuts must be unique to be typed. */
export function duplicateShortcut(canned: CannedResponse[]): string | null {
  const seen = new Set<string>();
  for (const { shortcut } of canned) {
    if (seen.has(shortcut)) return shortcut;
    seen.add(shortcut);
  }
  return null;
}
