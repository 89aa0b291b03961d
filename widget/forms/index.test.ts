import { describe, expect, it } from "vitest";
import { filledFields, validateFields } from "./index.ts";

describe("validateFields", () => {
  it("requires required fields, checks emails, ignores fields that are off", () => {
    expect(
      validateFields(
        { name: "  ", email: "ann@", phone: "" },
        { name: "required", email: "optional", phone: "off" },
      ),
    ).toEqual({ name: "required", email: "email" });
  });

  it("accepts a filled form", () => {
    expect(
      validateFields(
        { name: "Ann", email: " ann@example.com ", message: "Hi" },
        { name: "required", email: "required", phone: "optional", message: "required" },
      ),
    ).toEqual({});
  });

  it("refuses addresses without a domain, with spaces, or too long", () => {
    const rules = { email: "required" } as const;
    for (const email of [
      "ann@example",
      "ann example@x.test",
      `${"a".repeat(250)}@x.test`,
      "@x.test",
    ])
      expect(validateFields({ email }, rules)).toEqual({ email: "email" });
  });
});

describe("filledFields", () => {
  it("keeps the trimmed values of fields that are on and filled", () => {
    expect(
      filledFields(
        { name: " Ann ", email: "", phone: "123" },
        { name: "optional", email: "optional", phone: "off" },
      ),
    ).toEqual({ name: "Ann" });
  });
});
