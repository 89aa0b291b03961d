import { describe, expect, it } from "vitest";
import { parseDevice } from "./device.ts";

describe("parseDevice", () => {
  it("names a desktop browser and OS", () => {
    const ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
    expect(parseDevice(ua)).toEqual({ browser: "Firefox 121", os: "Windows 10", type: "desktop" });
  });

  it("drops the frozen macOS version", () => {
    const ua =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    expect(parseDevice(ua)).toEqual({ browser: "Chrome 120", os: "macOS", type: "desktop" });
  });

  it("tells phones from tablets", () => {
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    const ipad =
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
    const android =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36";
    expect(parseDevice(iphone)).toEqual({
      browser: "Mobile Safari 17",
      os: "iOS 17.1",
      type: "mobile",
    });
    expect(parseDevice(ipad).type).toBe("tablet");
    expect(parseDevice(android)).toEqual({
      browser: "Chrome 120",
      os: "Android 14",
      type: "mobile",
    });
  });

  it("answers Unknown for a missing or foreign user agent", () => {
    const none = { browser: "Unknown", os: "Unknown", type: "desktop" };
    expect(parseDevice(null)).toEqual(none);
    expect(parseDevice("curl/8.0")).toEqual(none);
    expect(parseDevice("x".repeat(100_000))).toEqual(none);
  });
});
