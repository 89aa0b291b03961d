import { afterEach, describe, expect, it } from "vitest";
import type { OfflineMessage } from "../../../protocol/chat.ts";
import { connectFakeSocket } from "../connection/fake-socket.ts";
import { disconnect } from "../connection/index.ts";
import {
  $filteredOfflineMessages,
  $offlineMessages,
  $offlineUnread,
  applyOfflineFrame,
  markOfflineMessage,
  openOfflineMessage,
  replyLink,
  resetOffline,
  setOfflineFilter,
} from "./index.ts";

afterEach(() => {
  resetOffline();
  disconnect();
});

const message = (id: string, at: number, fields: Partial<OfflineMessage> = {}): OfflineMessage => ({
  id,
  visitorId: "visitor-0001",
  visitorName: "Visitor 1",
  name: "Ann Lee",
  email: "ann@example.com",
  text: "Do you deliver?",
  at,
  page: null,
  status: "unread",
  ...fields,
});
const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id);

describe("offline messages", () => {
  it("keep the newest first, merging new and changed ones", () => {
    applyOfflineFrame({
      type: "offline-messages",
      full: true,
      messages: [message("offline-b", 2), message("offline-a", 1)],
      unread: 2,
    });
    applyOfflineFrame({
      type: "offline-messages",
      full: false,
      messages: [message("offline-c", 3), message("offline-a", 1, { status: "done" })],
      unread: 2,
    });
    expect(ids($offlineMessages.get())).toEqual(["offline-c", "offline-b", "offline-a"]);
    expect(ids($filteredOfflineMessages.get())).toEqual(["offline-c", "offline-b"]);
    setOfflineFilter("done");
    expect(ids($filteredOfflineMessages.get())).toEqual(["offline-a"]);
  });

  it("are marked read when first opened, and done or undone for every agent", () => {
    const socket = connectFakeSocket();
    applyOfflineFrame({
      type: "offline-messages",
      full: true,
      messages: [message("offline-a", 1)],
      unread: 1,
    });
    openOfflineMessage("offline-a");
    openOfflineMessage("offline-a");
    expect($offlineUnread.get()).toBe(0);
    markOfflineMessage("offline-a", "done");
    markOfflineMessage("offline-a", "read");
    expect(socket.frames()).toEqual([
      { type: "offline:mark", id: "offline-a", status: "read" },
      { type: "offline:mark", id: "offline-a", status: "done" },
      { type: "offline:mark", id: "offline-a", status: "read" },
    ]);
  });

  it("are answered by a mailto link with a subject and the message quoted", () => {
    const link = new URL(
      replyLink(
        { email: "ann+shop@example.com", name: "Ann", text: "Hi\nDo you deliver?" },
        "Shop",
      ),
    );
    expect(link.protocol).toBe("mailto:");
    expect(decodeURIComponent(link.pathname)).toBe("ann+shop@example.com");
    expect(link.searchParams.get("subject")).toBe("Re: your message to Shop");
    expect(link.searchParams.get("body")).toContain("> Hi\n> Do you deliver?");
  });
});
