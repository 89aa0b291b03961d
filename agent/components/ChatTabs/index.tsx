import { useStore } from "@nanostores/preact";
import { $chatLists, $chatTab, type ChatTab, showChatTab } from "../../stores/chats/index.ts";
import { ListTabs } from "../ListTabs/index.tsx";

const TABS: readonly [ChatTab, string][] = [
  ["requests", "Requests"],
  ["active", "Active"],
  ["resolved", "Resolved"],
];

/** Requests, Active and Resolved, each with how many chats it holds. */
export function ChatTabs() {
  const current = useStore($chatTab);
  const lists = useStore($chatLists);
  const counts = {
    requests: lists.requests.length,
    active: lists.active.length,
    resolved: lists.resolved.length,
  };
  return (
    <ListTabs
      tabs={TABS}
      current={current}
      counts={counts}
      onSelect={showChatTab}
      label="Chat lists"
      name="chat-tab"
    />
  );
}
