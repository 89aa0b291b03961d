import { describe, expect, it } from "vitest";
import { CUSTOM_DATA_KEYS, mergeContact, mergeCustomData } from "./profile.ts";

describe("mergeContact", () => {
  it("replaces given fields, ignores blank ones and keeps the rest", () => {
    const first = mergeContact(undefined, { name: "Ada", email: "ada@example.com" }, false);
    expect(mergeContact(first, { name: " ", phone: "+44 1" }, false)).toEqual({
      name: "Ada",
      email: "ada@example.com",
      phone: "+44 1",
    });
  });

  it("marks a user id verified only when it was signed, and keeps it so for the same id", () => {
    const unsigned = mergeContact(undefined, { userId: "u1" }, false);
    expect(unsigned).toEqual({ userId: "u1", verified: false });
    const signed = mergeContact(unsigned, { userId: "u1" }, true);
    expect(signed.verified).toBe(true);
    expect(mergeContact(signed, { userId: "u1", name: "Ada" }, false).verified).toBe(true);
    expect(mergeContact(signed, { userId: "u2" }, false)).toMatchObject({
      userId: "u2",
      verified: false,
    });
  });
});

describe("mergeCustomData", () => {
  it("merges values and removes keys set to null", () => {
    expect(mergeCustomData({ plan: "pro", seats: 5 }, { seats: 7, plan: null, vip: true })).toEqual(
      {
        ok: true,
        value: { seats: 7, vip: true },
      },
    );
  });

  it("refuses more keys than a visitor may keep", () => {
    const full = Object.fromEntries(
      Array.from({ length: CUSTOM_DATA_KEYS }, (_, i) => [`key${i}`, i]),
    );
    expect(mergeCustomData(full, { key0: 1 })).toMatchObject({ ok: true });
    expect(mergeCustomData(full, { extra: 1 })).toMatchObject({ ok: false, code: "invalid_event" });
  });
});
