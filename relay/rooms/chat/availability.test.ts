import { describe, expect, it, vi } from "vitest";
import type { BusinessHours } from "../../../protocol/index.ts";
import {
  api,
  connectVisitor,
  login,
  newVisitor,
  nextWhere,
  relayOnFakeClock,
  type TestRelay,
  type TestSocket,
} from "../testing.ts";
import { DEFAULT_BUSINESS_HOURS } from "./business-hours.ts";

// Hours open and close on the site room's alarm: the clock is faked (it still runs, and tests
// jump it ahead), everything else is real.
let relay: TestRelay;
let agent: TestSocket;
relayOnFakeClock("chats", (started, signedIn) => {
  relay = started;
  agent = signedIn;
});

const weekdays = DEFAULT_BUSINESS_HOURS.days;
const noRanges = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

async function setHours(hours: BusinessHours | Record<string, unknown>) {
  const { token } = await login(relay);
  return api(relay, "PUT", "/api/site", { token, body: { businessHours: hours } });
}

async function visitorAvailability() {
  const tab = await connectVisitor(relay, newVisitor());
  await tab.next("welcome");
  return { tab, first: (await tab.next("availability")).online };
}

describe("business hours", () => {
  it("are refused unless valid: a known time zone, HH:MM ranges that end after they start", async () => {
    const bad = [
      { enabled: true, timeZone: "Mars/Olympus", days: weekdays },
      {
        enabled: true,
        timeZone: "UTC",
        days: { ...noRanges, mon: [{ from: "17:00", to: "09:00" }] },
      },
      {
        enabled: true,
        timeZone: "UTC",
        days: { ...noRanges, mon: [{ from: "9:00", to: "17:00" }] },
      },
      { enabled: true, timeZone: "UTC", days: { mon: [] } },
    ];
    for (const hours of bad) expect((await setHours(hours)).status).toBe(400);
  });

  it("outside them visitors are told nobody takes chats though an agent is online", async () => {
    const before = await visitorAvailability();
    expect(before.first).toBe(true);
    const saved = await setHours({ enabled: true, timeZone: "Europe/Lisbon", days: noRanges });
    expect(saved).toMatchObject({ status: 200, body: { businessHours: { enabled: true } } });
    // Agents see the site closed; a visitor already here learns at once, a new one on connecting.
    await nextWhere(agent, "hours", (frame) => frame.open === false);
    expect(await before.tab.next("availability")).toMatchObject({ online: false });
    const after = await visitorAvailability();
    expect(after.first).toBe(false);

    await setHours({ ...DEFAULT_BUSINESS_HOURS, enabled: false });
    expect(await after.tab.next("availability")).toMatchObject({ online: true });
    await nextWhere(agent, "hours", (frame) => frame.open === true);
    await before.tab.close();
    await after.tab.close();
  });

  it("open and close on time, with visitors and agents told when they do", async () => {
    // Tomorrow 11:58 UTC: the site opens at noon and closes at 12:05.
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
    tomorrow.setUTCHours(11, 58, 0, 0);
    vi.setSystemTime(tomorrow);
    const day = (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[tomorrow.getUTCDay()];
    await setHours({
      enabled: true,
      timeZone: "UTC",
      days: { ...noRanges, [day as string]: [{ from: "12:00", to: "12:05" }] },
    });
    const { tab, first } = await visitorAvailability();
    expect(first).toBe(false);
    await nextWhere(agent, "hours", (frame) => frame.open === false);
    await vi.advanceTimersByTimeAsync(2 * 60 * 1000);
    expect(await tab.next("availability")).toMatchObject({ online: true });
    await nextWhere(agent, "hours", (frame) => frame.open === true);
    await vi.advanceTimersByTimeAsync(5 * 60 * 1000);
    expect(await tab.next("availability")).toMatchObject({ online: false });
    await nextWhere(agent, "hours", (frame) => frame.open === false);
    await tab.close();
    await setHours({ ...DEFAULT_BUSINESS_HOURS, enabled: false });
  });
});
