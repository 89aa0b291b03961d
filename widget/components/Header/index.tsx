import { useStore } from "@nanostores/preact";
import { $agents } from "../../stores/chat/index.ts";
import { $strings } from "../../stores/locale/index.ts";
import { $online } from "../../stores/settings/index.ts";
import { $muted, closeChat, setMuted } from "../../stores/ui/index.ts";
import { Avatar } from "../Avatar/index.tsx";
import { Icon } from "../Icon/index.tsx";

/** The window's header: the agent in the chat (or the site's title), sound and minimize. */
export function Header({ titleId }: { titleId: string }) {
  const agent = useStore($agents)[0];
  const online = useStore($online);
  const muted = useStore($muted);
  const t = useStore($strings);
  return (
    <div class="header">
      {agent && <Avatar name={agent.name} />}
      <div class="heading">
        <h2 id={titleId} data-testid="chat-title">
          {agent ? agent.name : t.title}
        </h2>
        <p>{online === false ? t.away : t.online}</p>
      </div>
      <button
        type="button"
        class="tool"
        aria-label={t.mute}
        aria-pressed={muted}
        data-testid="mute"
        onClick={() => setMuted(!muted)}
      >
        <Icon name={muted ? "muted" : "sound"} />
      </button>
      <button type="button" class="tool" aria-label={t.minimize} onClick={closeChat}>
        <Icon name="down" />
      </button>
    </div>
  );
}
