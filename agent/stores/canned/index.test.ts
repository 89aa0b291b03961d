import { describe, expect, it } from "vitest";
import { cannedMatches, insertCanned, slashQuery } from "./index.ts";

const responses = [
  { shortcut: "hello", text: "Hello! How can I help?" },
  { shortcut: "returns", text: "You can return any item within 30 days." },
  { shortcut: "refund", text: "Refunds take 5 business days." },
  { shortcut: "shipping", text: "We ship worldwide; returns are free." },
];

describe("slashQuery", () => {
  it("reads a / typed at the start or after a space, up to the caret at the end", () => {
    expect(slashQuery("/")).toBe("");
    expect(slashQuery("/re")).toBe("re");
    expect(slashQuery("Sure! /ret")).toBe("ret");
    expect(slashQuery("line one\n/hel")).toBe("hel");
  });

  it("stays closed for slashes inside words and finished shortcuts", () => {
    expect(slashQuery("and/or")).toBeNull();
    expect(slashQuery("https://shop.example/")).toBeNull();
    expect(slashQuery("/returns ")).toBeNull();
    expect(slashQuery("Hello")).toBeNull();
  });
});

describe("cannedMatches", () => {
  it("lists every response for a bare /", () => {
    expect(cannedMatches(responses, "").map((r) => r.shortcut)).toEqual([
      "hello",
      "returns",
      "refund",
      "shipping",
    ]);
  });

  it("puts shortcuts starting with the query first, then other matches", () => {
    expect(cannedMatches(responses, "re").map((r) => r.shortcut)).toEqual([
      "returns",
      "refund",
      "shipping",
    ]);
    expect(cannedMatches(responses, "RET").map((r) => r.shortcut)).toEqual(["returns", "shipping"]);
    expect(cannedMatches(responses, "zzz")).toEqual([]);
  });

  it("caps the list", () => {
    expect(cannedMatches(responses, "", 2)).toHaveLength(2);
  });
});

describe("insertCanned", () => {
  it("replaces the /query with the response's text", () => {
    const returns = responses[1] ?? responses[0];
    if (!returns) throw new Error("fixture");
    expect(insertCanned("/ret", returns)).toBe(returns.text);
    expect(insertCanned("Sure. /ret", returns)).toBe(`Sure. ${returns.text}`);
  });
});
