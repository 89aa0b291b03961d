import { describe, expect, it } from "vitest";
import {
  deviceLabel,
  formatDuration,
  formatFileSize,
  formatListTime,
  httpUrl,
  localTime,
  mailtoHref,
  placeLabel,
  sourceLabel,
  telHref,
} from "./index.ts";

describe("formatDuration", () => {
  it("shows seconds under a minute, rounding down", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(999)).toBe("0s");
    expect(formatDuration(45_900)).toBe("45s");
  });

  it("shows minutes and padded seconds under an hour", () => {
    expect(formatDuration(60_000)).toBe("1m 00s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(59 * 60_000 + 59_999)).toBe("59m 59s");
  });

  it("shows hours and padded minutes from an hour on", () => {
    expect(formatDuration(3_600_000)).toBe("1h 00m");
    expect(formatDuration(2 * 3_600_000 + 7 * 60_000 + 30_000)).toBe("2h 07m");
  });

  it("treats negative and non-finite input as zero", () => {
    expect(formatDuration(-5_000)).toBe("0s");
    expect(formatDuration(Number.NaN)).toBe("0s");
  });
});

describe("sourceLabel", () => {
  it("labels UTM-tagged visits as source / medium · campaign", () => {
    expect(
      sourceLabel({
        channel: "email",
        utm: { source: "newsletter", medium: "email", campaign: "fall" },
      }),
    ).toBe("newsletter / email · fall");
    expect(sourceLabel({ channel: "campaign", utm: { source: "partner" } })).toBe("partner");
    expect(sourceLabel({ channel: "campaign", utm: { campaign: "spring" } })).toBe("spring");
  });

  it("prefers UTM parameters over the referrer", () => {
    expect(
      sourceLabel({
        channel: "search",
        engine: "Google",
        keyword: "shoes",
        utm: { source: "google", medium: "cpc" },
      }),
    ).toBe("google / cpc");
  });

  it("labels search visits with the engine and keyword", () => {
    expect(sourceLabel({ channel: "search", engine: "Google", keyword: "red shoes" })).toBe(
      "Google search: red shoes",
    );
    expect(sourceLabel({ channel: "search", engine: "Bing" })).toBe("Bing search");
  });

  it("labels direct, referral, social and paid visits", () => {
    expect(sourceLabel({ channel: "direct" })).toBe("Direct");
    expect(sourceLabel({ channel: "referral", referrer: "example.com" })).toBe(
      "Referral: example.com",
    );
    expect(sourceLabel({ channel: "social", engine: "Facebook", referrer: "m.facebook.com" })).toBe(
      "Social: Facebook",
    );
    expect(sourceLabel({ channel: "paid", clickId: { kind: "gclid", value: "abc" } })).toBe(
      "Google Ads",
    );
    expect(sourceLabel({ channel: "email" })).toBe("Email");
  });

  it("says Unknown when the relay has no source yet", () => {
    expect(sourceLabel(null)).toBe("Unknown");
  });
});

describe("deviceLabel", () => {
  it("joins the known parts", () => {
    expect(deviceLabel({ browser: "Chrome", os: "macOS", type: "desktop" })).toBe(
      "Chrome · macOS · desktop",
    );
    expect(deviceLabel({ browser: "", os: "Android", type: "mobile" })).toBe("Android · mobile");
    expect(deviceLabel({ browser: "", os: "", type: "" })).toBe("Unknown device");
  });
});

describe("placeLabel", () => {
  it("joins what the geo resolver knew", () => {
    expect(placeLabel({ city: "Lyon", country: "FR" })).toBe("Lyon, FR");
    expect(placeLabel({})).toBe("Unknown location");
  });
});

describe("httpUrl", () => {
  it("keeps http and https URLs", () => {
    expect(httpUrl("https://shop.example/cart?x=1")).toBe("https://shop.example/cart?x=1");
    expect(httpUrl("http://shop.example")).toBe("http://shop.example/");
  });

  it("refuses other schemes and garbage, so they render as text", () => {
    expect(httpUrl("javascript:alert(1)")).toBeNull();
    expect(httpUrl("JaVaScRiPt:alert(1)")).toBeNull();
    expect(httpUrl("data:text/html,<b>x</b>")).toBeNull();
    expect(httpUrl("/relative/path")).toBeNull();
    expect(httpUrl("")).toBeNull();
  });
});

describe("mailtoHref and telHref", () => {
  it("link an email and a phone number a visitor gave", () => {
    expect(mailtoHref("ann@example.com")).toBe("mailto:ann@example.com");
    expect(telHref("+1 (555) 010-9999")).toBe("tel:+15550109999");
    expect(telHref("0555.010.999")).toBe("tel:0555010999");
  });

  it("keep anything else inside the mailto path, and give no tel link for what is no number", () => {
    const href = new URL(mailtoHref('x@y.z?cc=all@corp.example&body=<b>"'));
    expect(href.protocol).toBe("mailto:");
    expect(href.search).toBe("");
    expect(telHref("javascript:alert(1)")).toBeNull();
    expect(telHref("call me after 5")).toBeNull();
    expect(telHref("1+2")).toBeNull();
    expect(telHref("12")).toBeNull();
  });
});

describe("formatFileSize", () => {
  it("picks bytes, kilobytes or megabytes", () => {
    expect(formatFileSize(900)).toBe("900 B");
    expect(formatFileSize(12 * 1024)).toBe("12 KB");
    expect(formatFileSize(3.4 * 1024 * 1024)).toBe("3.4 MB");
  });
});

describe("formatListTime", () => {
  it("shows the time for today and the date before", () => {
    const now = new Date(2025, 10, 4, 15, 0).getTime();
    expect(formatListTime(new Date(2025, 10, 4, 9, 5).getTime(), now)).toMatch(/09.05/);
    expect(formatListTime(new Date(2025, 10, 3, 9, 5).getTime(), now)).toMatch(/3/);
  });
});

describe("localTime", () => {
  const at = Date.UTC(2025, 10, 4, 13, 5);
  /** The time of day as the agent's locale writes it. */
  const clock = (hours: number, minutes: number) =>
    new Intl.DateTimeFormat(undefined, {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "UTC",
    }).format(Date.UTC(2025, 10, 4, hours, minutes));

  it("shows the visitor's time of day with the offset from UTC", () => {
    expect(localTime(at, 60)).toBe(`${clock(14, 5)} (UTC+1)`);
    expect(localTime(at, 0)).toBe(`${clock(13, 5)} (UTC)`);
    expect(localTime(at, -210)).toBe(`${clock(9, 35)} (UTC−3:30)`);
    expect(localTime(at, 840)).toBe(`${clock(3, 5)} (UTC+14)`);
  });
});
