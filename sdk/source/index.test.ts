import { describe, expect, it } from "vitest";
import { sourceSignature } from "./index.ts";

const page = "https://shop.test/products.html";
const at = (query: string, referrer = "") =>
  sourceSignature(`${page}?${query}`, referrer, "shop.test");
const from = (referrer: string) => sourceSignature(page, referrer, "shop.test");

describe("sourceSignature: nothing new", () => {
  it("says nothing for a direct arrival, so the visit's source stands", () => {
    expect(from("")).toBeNull();
  });

  it("says nothing for a link within the site, with or without www", () => {
    expect(from("https://shop.test/index.html")).toBeNull();
    expect(sourceSignature(page, "https://shop.test/", "www.shop.test")).toBeNull();
    expect(from("https://www.shop.test/")).toBeNull();
  });

  it("ignores referrers that are not web pages", () => {
    expect(from("android-app://com.example")).toBeNull();
    expect(from("not a url")).toBeNull();
  });

  it("ignores query parameters that say nothing about the source", () => {
    expect(at("page=2&q=boots&utm_other=x&utm_source=")).toBeNull();
  });
});

describe("sourceSignature: telling sources apart", () => {
  it("brings a source from another site, the same for any page of it", () => {
    const search = from("https://www.google.com/");
    expect(search).not.toBeNull();
    expect(from("https://google.com/url?sa=t")).toBe(search);
    expect(from("https://www.bing.com/")).not.toBe(search);
    expect(from("https://blog.example.org/a")).toBe(from("https://blog.example.org/b"));
  });

  it("brings a source from every campaign parameter the relay reads", () => {
    const seen = new Set<string | null>();
    for (const name of ["source", "medium", "campaign", "term", "content"])
      seen.add(at(`utm_${name}=fall`));
    seen.add(at("gclid=abc123"));
    seen.add(at("fbclid=IwAR0"));
    expect(seen).not.toContain(null);
    expect(seen.size).toBe(7);
    expect(at("utm_source=newsletter&utm_medium=email")).toBe(
      at("utm_medium=email&utm_source=newsletter&page=2"),
    );
    expect(at("utm_campaign=fall")).not.toBe(at("utm_campaign=spring"));
  });

  it("counts campaign links within the site as a new source", () => {
    expect(at("utm_source=newsletter", "https://shop.test/")).toBe(at("utm_source=newsletter"));
    expect(at("utm_source=newsletter")).not.toBeNull();
  });

  it("tells the same campaign apart by the site it came from", () => {
    const campaign = "utm_campaign=fall";
    expect(at(campaign, "https://mail.google.com/")).not.toBe(at(campaign, "https://t.co/x"));
    expect(at(campaign, "https://mail.google.com/")).not.toBe(at(campaign));
  });
});
