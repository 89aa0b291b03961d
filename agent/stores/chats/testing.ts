import type { ChatSummary } from "../../../protocol/chat.ts";
import { $session } from "../session/index.ts";

/** The agent the store tests sign in as. */
export const ME = "agent-me-0001";
/** A colleague of {@link ME}. */
export const COLLEAGUE = "agent-ben-0001";

/** Signs {@link ME} in, without a relay (tests only). */
export function signInAsMe(): void {
  $session.set({
    token: "t",
    agent: { id: ME, email: "me@parley.test", name: "Me", role: "agent" },
    site: { id: "site-0001", name: "Shop" },
  });
}

/** A chat summary with sensible defaults (tests only). */
export function chatSummary(id: string, extra: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id,
    visitorName: `Visitor ${id}`,
    status: "requested",
    channel: "web",
    assigneeId: null,
    participants: [],
    lastMessage: { text: "Hello?", at: 1_000, author: "visitor" },
    updatedAt: 1_000,
    unread: 1,
    round: 1,
    offer: null,
    page: { url: "https://shop.example/", title: "Shop" },
    ...extra,
  };
}
