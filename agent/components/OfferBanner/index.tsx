import { useStore } from "@nanostores/preact";
import type { ChatSummary } from "../../../protocol/chat.ts";
import { declineOffer, joinChat, showChatTab } from "../../stores/chats/index.ts";
import { $agents } from "../../stores/presence/index.ts";

type Offer = NonNullable<ChatSummary["offer"]>;

/** A transfer or invitation offered to me, with the colleague's note: Accept or Decline. */
export function OfferBanner({ chatId, offer }: { chatId: string; offer: Offer }) {
  const agents = useStore($agents);
  const from = agents.find((agent) => agent.id === offer.from)?.name ?? "A colleague";
  const what = offer.kind === "transfer" ? "wants to transfer this chat to you" : "invites you";
  return (
    <div class="offer-banner" role="status" data-testid="offer-banner" data-kind={offer.kind}>
      <p>
        <strong>{from}</strong> {what}.
        {offer.note && (
          <span class="offer-note" data-testid="offer-note">
            {" "}
            “{offer.note}”
          </span>
        )}
      </p>
      <button
        type="button"
        class="primary"
        onClick={() => {
          joinChat(chatId);
          showChatTab("active");
        }}
        data-testid="offer-accept"
      >
        Accept
      </button>
      <button type="button" onClick={() => declineOffer(chatId)} data-testid="offer-decline">
        Decline
      </button>
    </div>
  );
}
