import { beforeEach, describe, expect, it } from "vitest";
import { SETTINGS, startTestSession } from "../../testing/index.ts";
import { $contact, identify } from "../identity/index.ts";
import { $prechatDone, $prechatFields, $prechatNeeded, submitPrechat } from "./index.ts";

const settings = {
  ...SETTINGS,
  prechat: { name: "required", email: "optional", phone: "off" },
} as const;

beforeEach(() => {
  $contact.set({});
  $prechatDone.set(false);
});

describe("prechat store: what the form asks", () => {
  it("asks a visitor nobody has introduced every field the site asks for", () => {
    startTestSession({ settings });
    expect($prechatFields.get()).toEqual({ name: "required", email: "optional" });
  });

  it("asks a visitor the page identified only the required fields it did not give", () => {
    const { recorded } = startTestSession({ settings });
    identify({ userId: "user-42", userHash: "a".repeat(64) });
    expect($prechatFields.get()).toEqual({ name: "required" });
    submitPrechat({ name: "Ann", email: "not asked@" });
    expect(recorded.at(-1)).toMatchObject({ kind: "identify", name: "Ann" });
    expect(recorded.at(-1)).not.toHaveProperty("email");
    expect($prechatNeeded.get()).toBe(false);
  });

  it("skips the form once the page gave every required field, or when none is required", () => {
    startTestSession({ settings });
    identify({ name: "Ann" });
    expect($prechatNeeded.get()).toBe(false);

    $contact.set({});
    startTestSession({
      settings: { ...SETTINGS, prechat: { name: "optional", email: "optional", phone: "off" } },
    });
    expect($prechatNeeded.get()).toBe(true);
    identify({ phone: "+1 555 0100" });
    expect($prechatNeeded.get()).toBe(false);
  });
});
