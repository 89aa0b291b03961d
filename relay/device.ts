import UAParser from "ua-parser-js";
import type { Device } from "../protocol/index.ts";

const unknown = "Unknown";

/** Longest user agent worth parsing; real ones are a few hundred characters. */
const maxUserAgentLength = 1024;

/**
 * The visitor's browser, OS and device type, from the `User-Agent` header, with ua-parser-js
 * 1.x (MIT; 2.x is AGPL). Desktop is the default: the parser names only other device types.
 * @example parseDevice(request.headers.get("user-agent")) // { browser: "Chrome 120", os: "Windows 10", type: "desktop" }
 */
export function parseDevice(userAgent: string | null): Device {
  const result = new UAParser((userAgent ?? "").slice(0, maxUserAgentLength)).getResult();
  return {
    browser: joinName(result.browser.name, result.browser.major),
    os: osName(result.os.name, result.os.version),
    type: result.device.type ?? "desktop",
  };
}

function osName(name: string | undefined, version: string | undefined): string {
  // Every Mac browser reports 10.15.7 whatever the real version, so the number says nothing.
  if (name === "Mac OS") return "macOS";
  return joinName(name, version);
}

function joinName(name: string | undefined, version: string | undefined): string {
  if (!name) return unknown;
  return version ? `${name} ${version}` : name;
}
