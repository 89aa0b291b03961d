import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { SiteSettingsResponse } from "../../protocol/index.ts";
import { PREVIOUS_IDENTITY_SECRET_MS } from "./site-room.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectVisitor,
  login,
  newVisitor,
  nextWhere,
  relayOnFakeClock,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

// The previous secret works for a day: the clock is faked (it still runs, and the test jumps it).
let relay: TestRelay;
relayOnFakeClock("hello", (started) => {
  relay = started;
});

async function site(token: string): Promise<SiteSettingsResponse> {
  return (await api(relay, "GET", "/api/site", { token })).body as SiteSettingsResponse;
}

/** Identifies the visitor as `userId`, signed with `secret`: whether the relay took it. */
async function identifies(tab: TestSocket, userId: string, secret: string): Promise<boolean> {
  const userHash = createHmac("sha256", secret).update(userId).digest("hex");
  const event = chatEvents.identify({ userId, userHash });
  tab.send({ type: "track", events: [event] });
  const ack = await nextWhere(tab, "ack", (frame) => {
    const rejected = (frame.rejected as { id: string }[] | undefined) ?? [];
    return [...(frame.ids as string[]), ...rejected.map((r) => r.id)].includes(event.id);
  });
  return (ack.ids as string[]).includes(event.id);
}

describe("the identity secret", () => {
  it("rotates: the new one verifies at once, the previous one for a day, across a restart", async () => {
    let admin = await login(relay);
    const old = (await site(admin.token)).identitySecret ?? "";
    const rotated = await api(relay, "POST", "/api/site/identity-secret", { token: admin.token });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body as SiteSettingsResponse;
    expect(fresh.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(fresh.identitySecret).not.toBe(old);
    expect((fresh.previousIdentitySecretUntil ?? 0) - Date.now()).toBeGreaterThan(
      PREVIOUS_IDENTITY_SECRET_MS - 60_000,
    );

    await relay.restart();
    admin = await login(relay);
    expect((await site(admin.token)).identitySecret).toBe(fresh.identitySecret);
    let tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    expect(await identifies(tab, "user-1", fresh.identitySecret ?? "")).toBe(true);
    expect(await identifies(tab, "user-2", old)).toBe(true);
    await tab.close();

    await vi.advanceTimersByTimeAsync(PREVIOUS_IDENTITY_SECRET_MS);
    admin = await login(relay);
    expect(await site(admin.token)).not.toHaveProperty("previousIdentitySecretUntil");
    tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    expect(await identifies(tab, "user-3", old)).toBe(false);
    expect(await identifies(tab, "user-4", fresh.identitySecret ?? "")).toBe(true);
    await tab.close();
  });

  it("is rotated by admins only", async () => {
    const admin = await login(relay);
    const before = (await site(admin.token)).identitySecret;
    const ana = await addAgent(relay, admin.token, "Ana");
    const path = "/api/site/identity-secret";
    expect((await api(relay, "POST", path, { token: ana.token })).status).toBe(403);
    expect((await api(relay, "POST", path)).status).toBe(401);
    expect((await site(admin.token)).identitySecret).toBe(before);
  });
});
