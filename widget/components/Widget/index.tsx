import { useStore } from "@nanostores/preact";
import { useEffect, useRef } from "preact/hooks";
import { textOn } from "../../../loader/facade/index.ts";
import { useLazy } from "../../hooks/useLazy.ts";
import { $locale, $strings } from "../../stores/locale/index.ts";
import { $spotlight, dismissSpotlight } from "../../stores/pointer/index.ts";
import { $settings } from "../../stores/settings/index.ts";
import { $open } from "../../stores/ui/index.ts";
import { ChatWindow } from "../ChatWindow/index.tsx";
import { InvitationCard } from "../InvitationCard/index.tsx";
import { Launcher } from "../Launcher/index.tsx";

/** The spotlight is a chunk of its own: most visitors never get a pointer. */
const loadSpotlight = () => import("../Spotlight/index.tsx");

/**
 * The whole widget: the launcher, the chat window while open, an invitation's card while
 * closed, and an agent's pointer while shown (the launcher and the window step aside
 * meanwhile, so they cannot cover the element), in the site's colour.
 */
export function Widget() {
  const open = useStore($open);
  const { color } = useStore($settings);
  const locale = useStore($locale);
  const t = useStore($strings);
  const launcher = useRef<HTMLButtonElement>(null);
  const spotlight = useStore($spotlight);
  const [spotlightModule, loadSpotlightModule] = useLazy(loadSpotlight);
  useEffect(() => {
    if (spotlight) void loadSpotlightModule();
  }, [spotlight, loadSpotlightModule]);
  const Spotlight = spotlightModule?.Spotlight;
  return (
    <div
      class={["parley", open && "open", spotlight && "spotlit"].filter(Boolean).join(" ")}
      dir={t.dir}
      lang={locale}
      style={{ "--c": color, "--on": textOn(color) }}
    >
      {open && <ChatWindow launcher={launcher} />}
      <InvitationCard launcher={launcher} />
      <Launcher button={launcher} />
      {spotlight && Spotlight && (
        <Spotlight spotlight={spotlight} onDismiss={dismissSpotlight} t={t} />
      )}
    </div>
  );
}
