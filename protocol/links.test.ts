import { describe, expect, it } from "vitest";
import { isWebUrl, splitLinks } from "./links.ts";

describe("splitLinks", () => {
  it("links http(s) addresses and keeps the rest as text", () => {
    expect(splitLinks("see https://shop.test/a?b=1, or http://x.test.")).toEqual([
      { text: "see " },
      { text: "https://shop.test/a?b=1", href: "https://shop.test/a?b=1" },
      { text: ", or " },
      { text: "http://x.test", href: "http://x.test/" },
      { text: "." },
    ]);
  });

  it("never links other schemes, and leaves markup as text", () => {
    const hostile = `javascript:alert(1) <a href="javascript:alert(2)">x</a> data:text/html,<script>`;
    expect(splitLinks(hostile)).toEqual([{ text: hostile }]);
    expect(splitLinks("<img src=x onerror=alert(1)>")).toEqual([
      { text: "<img src=x onerror=alert(1)>" },
    ]);
  });

  it("stops a link at quotes and angle brackets", () => {
    expect(splitLinks(`"https://a.test/x"<b>`)).toEqual([
      { text: '"' },
      { text: "https://a.test/x", href: "https://a.test/x" },
      { text: '"<b>' },
    ]);
  });

  it("keeps long unicode text whole", () => {
    const text = `${"𝕳𝖊𝖑𝖑𝖔 ".repeat(500)}👩‍👩‍👧‍👦`;
    expect(splitLinks(text)).toEqual([{ text }]);
  });

  it("tells web addresses from others", () => {
    expect(isWebUrl("https://relay.test/files/1")).toBe(true);
    expect(isWebUrl("HTTP://relay.test/")).toBe(true);
    expect(isWebUrl("javascript:alert(1)")).toBe(false);
    expect(isWebUrl("//relay.test/x")).toBe(false);
  });
});
