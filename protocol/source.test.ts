import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { classifySource, SourceSchema } from "./source.ts";

const page = "https://shop.test/products.html";
const at = (query: string, referrer?: string) => classifySource(`${page}?${query}`, referrer);
const from = (referrer: string) => classifySource(page, referrer);
const direct = { channel: "direct" };

describe("classifySource: referrers", () => {
  it("calls an arrival without referrer direct", () => {
    expect(classifySource(page)).toEqual(direct);
    expect(from("")).toEqual(direct);
  });

  it("does not count a link within the site as a source, with or without www", () => {
    expect(from("https://shop.test/index.html")).toEqual(direct);
    expect(classifySource("https://www.shop.test/products.html", "https://shop.test/")).toEqual(
      direct,
    );
    expect(from("https://www.shop.test/")).toEqual(direct);
  });

  it("names the search engine and the keyword where the referrer carries one", () => {
    expect(from("https://www.google.co.uk/")).toEqual({
      channel: "search",
      referrer: "google.co.uk",
      engine: "Google",
    });
    expect(from("https://www.bing.com/search?q=red+shoes&form=QBLH")).toEqual({
      channel: "search",
      referrer: "bing.com",
      engine: "Bing",
      keyword: "red shoes",
    });
    expect(from("https://search.yahoo.com/search?p=boots")).toMatchObject({
      engine: "Yahoo",
      keyword: "boots",
    });
    expect(from("https://yandex.ru/search/?text=%D1%88")).toMatchObject({ keyword: "ш" });
    expect(from("https://duckduckgo.com/")).toMatchObject({ engine: "DuckDuckGo" });
  });

  it("names social networks, short links included", () => {
    expect(from("https://l.facebook.com/l.php?u=x")).toEqual({
      channel: "social",
      referrer: "l.facebook.com",
      engine: "Facebook",
    });
    expect(from("https://t.co/abc")).toMatchObject({ channel: "social", engine: "X" });
    expect(from("https://www.linkedin.com/feed/")).toMatchObject({ engine: "LinkedIn" });
  });

  it("tells webmail apart from the search engine of the same company", () => {
    expect(from("https://mail.google.com/mail/u/0/")).toEqual({
      channel: "email",
      referrer: "mail.google.com",
    });
    expect(from("https://outlook.live.com/mail/0/")).toMatchObject({ channel: "email" });
  });

  it("keeps any other site as a referral", () => {
    expect(from("https://blog.example.org/post?q=not-a-keyword")).toEqual({
      channel: "referral",
      referrer: "blog.example.org",
    });
    expect(from("https://notgoogle.com/")).toMatchObject({ channel: "referral" });
  });

  it("ignores referrers that are not web pages", () => {
    expect(from("android-app://com.example")).toEqual(direct);
    expect(from("not a url")).toEqual(direct);
  });

  it("never throws on a landing URL that is not one, and still reads the referrer", () => {
    expect(classifySource("not a url")).toEqual(direct);
    expect(classifySource("", "https://t.co/abc")).toMatchObject({ channel: "social" });
  });
});

describe("classifySource: campaigns", () => {
  it("maps utm_medium to a channel", () => {
    expect(at("utm_source=newsletter&utm_medium=email&utm_campaign=fall")).toEqual({
      channel: "email",
      utm: { source: "newsletter", medium: "email", campaign: "fall" },
    });
    for (const medium of ["cpc", "ppc", "paid", "paidsearch", "CPC"])
      expect(at(`utm_source=g&utm_medium=${medium}`).channel).toBe("paid");
    expect(at("utm_source=fb&utm_medium=social").channel).toBe("social");
    expect(at("utm_source=partner&utm_medium=banner").channel).toBe("campaign");
    expect(at("utm_campaign=spring").channel).toBe("campaign");
  });

  it("keeps all five UTM fields", () => {
    expect(
      at("utm_source=a&utm_medium=b&utm_campaign=c&utm_term=d&utm_content=e&utm_other=f").utm,
    ).toEqual({ source: "a", medium: "b", campaign: "c", term: "d", content: "e" });
  });

  it("treats gclid as paid Google and fbclid as social Facebook", () => {
    expect(at("gclid=abc123")).toEqual({
      channel: "paid",
      engine: "Google",
      clickId: { kind: "gclid", value: "abc123" },
    });
    expect(at("fbclid=IwAR0")).toEqual({
      channel: "social",
      engine: "Facebook",
      clickId: { kind: "fbclid", value: "IwAR0" },
    });
  });

  it("lets a specific utm_medium win over a click id, and a click id over a plain UTM", () => {
    expect(at("gclid=x&utm_medium=email").channel).toBe("email");
    expect(at("gclid=x&utm_source=spring").channel).toBe("paid");
  });

  it("keeps the referrer beside the campaign", () => {
    expect(at("utm_medium=cpc&utm_source=google", "https://www.google.com/")).toEqual({
      channel: "paid",
      referrer: "google.com",
      engine: "Google",
      utm: { medium: "cpc", source: "google" },
    });
  });

  it("classifies a campaign link within the site by its campaign", () => {
    expect(at("utm_source=newsletter&utm_medium=email", "https://shop.test/")).toEqual({
      channel: "email",
      utm: { source: "newsletter", medium: "email" },
    });
  });

  it("truncates labels to what the relay accepts", () => {
    const source = at(`utm_source=${"x".repeat(1000)}`, `https://${"a".repeat(300)}.test/`);
    expect(source.utm?.source).toHaveLength(256);
    expect(source.referrer).toHaveLength(256);
    expect(v.is(SourceSchema, source)).toBe(true);
  });
});
