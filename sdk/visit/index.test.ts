import { describe, expect, it } from "vitest";
import { PRESENCE } from "../../protocol/limits.ts";
import type { Source } from "../../protocol/source.ts";
import { createProfile, enterVisit } from "./index.ts";

const minute = 60_000;
const google: Source = { channel: "search", referrer: "google.com", engine: "Google" };
const newsletter: Source = { channel: "email", utm: { source: "newsletter", medium: "email" } };

describe("createProfile", () => {
  it("makes a new visitor with its own id and secret", () => {
    const a = createProfile();
    const b = createProfile();
    expect(a.visitorId).not.toBe(b.visitorId);
    expect(a.secret).not.toBe(a.visitorId);
    expect(a.visits).toBe(0);
  });
});

describe("enterVisit", () => {
  it("starts the first visit, and keeps its source as first touch", () => {
    const profile = createProfile();
    expect(enterVisit(profile, 1000, google)).toBe(true);
    expect(profile.visit).toMatchObject({ number: 1, startedAt: 1000, source: google });
    expect(profile.firstSource).toEqual(google);
    expect(profile.visits).toBe(1);
  });

  it("calls a visit without source direct", () => {
    const profile = createProfile();
    enterVisit(profile, 0, null);
    expect(profile.visit?.source).toEqual({ channel: "direct" });
  });

  it("continues the visit while the visitor is active, however long it lasts", () => {
    const profile = createProfile();
    enterVisit(profile, 0, google);
    const id = profile.visit?.id;
    for (let t = 29 * minute; t < 5 * 60 * minute; t += 29 * minute)
      expect(enterVisit(profile, t, null)).toBe(false);
    expect(profile.visit?.id).toBe(id);
    expect(profile.visits).toBe(1);
  });

  it("starts a new visit after 30 minutes without activity", () => {
    const profile = createProfile();
    enterVisit(profile, 0, google);
    enterVisit(profile, 10 * minute, null);
    const first = profile.visit?.id;
    expect(enterVisit(profile, 10 * minute + PRESENCE.visitTimeoutMs - 1, null)).toBe(false);
    const last = profile.visit?.lastActivityAt ?? 0;
    expect(enterVisit(profile, last + PRESENCE.visitTimeoutMs, null)).toBe(true);
    expect(profile.visit?.id).not.toBe(first);
    expect(profile.visit).toMatchObject({ number: 2, source: { channel: "direct" } });
    expect(profile.firstSource).toEqual(google);
  });

  it("starts a new visit when the page brings another source, not the same one again", () => {
    const profile = createProfile();
    enterVisit(profile, 0, google);
    expect(enterVisit(profile, minute, { ...google })).toBe(false);
    expect(enterVisit(profile, 2 * minute, newsletter)).toBe(true);
    expect(profile.visit).toMatchObject({ number: 2, source: newsletter });
    expect(profile.firstSource).toEqual(google);
  });
});
