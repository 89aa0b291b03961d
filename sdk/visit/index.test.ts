import { describe, expect, it } from "vitest";
import { VISIT_TIMEOUT_MS } from "../../protocol/limits.ts";
import { sourceSignature } from "../source/index.ts";
import { createProfile, enterVisit } from "./index.ts";

const minute = 60_000;
const page = "https://shop.test/";
const google = sourceSignature(page, "https://www.google.com/", "shop.test");
const newsletter = sourceSignature(
  `${page}?utm_source=newsletter&utm_medium=email`,
  "",
  "shop.test",
);

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
  it("starts the first visit, remembering what brought it", () => {
    const profile = createProfile();
    expect(enterVisit(profile, 1000, google)).toBe(true);
    expect(profile.visit).toMatchObject({ number: 1, startedAt: 1000, signature: google });
    expect(profile.visits).toBe(1);
  });

  it("counts the visit's page views, from one again in a new visit", () => {
    const profile = createProfile();
    enterVisit(profile, 0, null);
    enterVisit(profile, minute, null);
    enterVisit(profile, 2 * minute, null);
    expect(profile.visit?.pages).toBe(3);
    enterVisit(profile, 3 * minute, google);
    expect(profile.visit).toMatchObject({ number: 2, pages: 1, engagedMs: 0 });
  });

  it("counts a visit stored before page views were counted from its next page", () => {
    const profile = createProfile();
    enterVisit(profile, 0, null);
    const stored = { ...profile.visit, pages: undefined } as unknown as typeof profile.visit;
    profile.visit = stored;
    enterVisit(profile, minute, null);
    expect(profile.visit?.pages).toBe(1);
  });

  it("starts a visit without source as a direct one", () => {
    const profile = createProfile();
    expect(enterVisit(profile, 0, null)).toBe(true);
    expect(profile.visit?.signature).toBeNull();
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
    expect(enterVisit(profile, 10 * minute + VISIT_TIMEOUT_MS - 1, null)).toBe(false);
    const last = profile.visit?.lastActivityAt ?? 0;
    expect(enterVisit(profile, last + VISIT_TIMEOUT_MS, null)).toBe(true);
    expect(profile.visit?.id).not.toBe(first);
    expect(profile.visit).toMatchObject({ number: 2, signature: null });
  });

  it("starts a new visit when the page brings another source, not the same one again", () => {
    const profile = createProfile();
    enterVisit(profile, 0, google);
    const first = profile.visit?.id;
    expect(
      enterVisit(profile, minute, sourceSignature(page, "https://google.com/", "shop.test")),
    ).toBe(false);
    expect(profile.visit?.id).toBe(first);
    expect(enterVisit(profile, 2 * minute, newsletter)).toBe(true);
    expect(profile.visit).toMatchObject({ number: 2, signature: newsletter });
    expect(enterVisit(profile, 3 * minute, newsletter)).toBe(false);
    expect(enterVisit(profile, 4 * minute, google)).toBe(true);
    expect(profile.visit?.number).toBe(3);
  });
});
