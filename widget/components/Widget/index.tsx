import { useStore } from "@nanostores/preact";
import { useRef } from "preact/hooks";
import { textOn } from "../../../loader/facade/index.ts";
import { $locale, $strings } from "../../stores/locale/index.ts";
import { $settings } from "../../stores/settings/index.ts";
import { $open } from "../../stores/ui/index.ts";
import { ChatWindow } from "../ChatWindow/index.tsx";
import { Launcher } from "../Launcher/index.tsx";
import { Spotlight } from "../Spotlight/index.tsx";

/**
 * The whole widget: the launcher, the chat window while open, and an agent's pointer while
 * shown, in the site's colour.
 */
export function Widget() {
  const open = useStore($open);
  const { color } = useStore($settings);
  const locale = useStore($locale);
  const { dir } = useStore($strings);
  const launcher = useRef<HTMLButtonElement>(null);
  return (
    <div
      class={open ? "parley open" : "parley"}
      dir={dir}
      lang={locale}
      style={{ "--c": color, "--on": textOn(color) }}
    >
      {open && <ChatWindow launcher={launcher} />}
      <Launcher button={launcher} />
      <Spotlight />
    </div>
  );
}
