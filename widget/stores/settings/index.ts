import { atom, computed } from "nanostores";
import type { WidgetSettings } from "../../../protocol/chat.ts";
import type { VisitorServerFrame } from "../../../protocol/visitor.ts";

/** How the widget looks and behaves before the relay has sent the site's settings. */
export const DEFAULT_SETTINGS: WidgetSettings = {
  color: "#2563eb",
  position: "right",
  launcherText: "",
  greeting: "",
  prechat: { name: "off", email: "off", phone: "off" },
  whenOffline: "form",
};

type SnippetLook = Partial<Pick<WidgetSettings, "color" | "position">>;

const $snippet = atom<SnippetLook>({});
const $fromRelay = atom<WidgetSettings | null>(null);

/** The site's widget settings: the relay's once they arrive; until then the snippet's look. */
export const $settings = computed([$snippet, $fromRelay], (snippet, relay) =>
  relay ? relay : { ...DEFAULT_SETTINGS, ...snippet },
);

/**
 * Whether chats are taken: an agent is online within the site's business hours (the relay
 * decides); undefined until the relay has said.
 */
export const $online = atom<boolean | undefined>(undefined);

/**
 * Takes the snippet's `data-color` (`#rrggbb`) and `data-position` (`left`, `right`); anything
 * else is ignored.
 */
export function applySnippetLook(look: { color?: string; position?: string }): void {
  const valid: SnippetLook = {};
  if (look.color && /^#[\da-f]{6}$/i.test(look.color)) valid.color = look.color;
  if (look.position === "left" || look.position === "right") valid.position = look.position;
  $snippet.set(valid);
}

/** Applies the settings in `welcome` and the agents' availability. */
export function receiveSettings(frame: VisitorServerFrame): void {
  if (frame.type === "welcome") $fromRelay.set(frame.settings);
  else if (frame.type === "availability") $online.set(frame.online);
}
