import { describe, expect, it } from "vitest";
import { startTestSession } from "../../testing/index.ts";
import { $offlineMessage, restoreOffline, sendOfflineMessage } from "./index.ts";

const form = { name: "Ann", email: "ann@example.com", text: "Call me back" };

describe("offline store", () => {
  it("records the offline form through the outbox and says sent only once acked", () => {
    const { recorded, receive } = startTestSession();
    sendOfflineMessage({ ...form, phone: "555 0101" });
    const id = $offlineMessage.get()?.id;
    expect(recorded).toEqual([
      { kind: "offline-message", id, at: expect.any(Number), ...form, phone: "555 0101" },
    ]);
    expect($offlineMessage.get()?.state).toBe("sending");
    receive({ type: "ack", ids: ["something-else"] });
    expect($offlineMessage.get()?.state).toBe("sending");
    receive({ type: "ack", ids: [id ?? ""] });
    expect($offlineMessage.get()?.state).toBe("sent");
  });

  it("leaves out an empty phone, and says failed when the relay refuses", () => {
    const { recorded, receive } = startTestSession();
    sendOfflineMessage(form);
    expect(recorded[0]).not.toHaveProperty("phone");
    const id = $offlineMessage.get()?.id ?? "";
    receive({ type: "ack", ids: [], rejected: [{ id, code: "invalid_event", message: "email" }] });
    expect($offlineMessage.get()?.state).toBe("failed");
  });

  it("keeps waiting for a submission an earlier page left in the outbox", () => {
    const { receive } = startTestSession();
    $offlineMessage.set(null);
    restoreOffline([{ kind: "offline-message", id: "offline-001", at: 1, ...form }]);
    expect($offlineMessage.get()).toEqual({ id: "offline-001", state: "sending" });
    receive({ type: "ack", ids: ["offline-001"] });
    expect($offlineMessage.get()?.state).toBe("sent");
  });
});
