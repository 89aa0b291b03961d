import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

type Parley = ((command: string, ...args: unknown[]) => void) & {
  q?: [string, unknown[]][];
  loaded?: boolean;
};
type Started = { site: string; host: string; queue: [string, unknown[]][] };
const page = globalThis as unknown as { parley?: Parley; started?: Started[] };

// A stand-in sdk.js beside a stand-in loader.js, served from a folder as the relay serves
// dist/public: the loader must find it there and call its start().
const folder = mkdtempSync(join(tmpdir(), "parley-loader-"));
writeFileSync(
  join(folder, "sdk.js"),
  "export const start = (config) => (globalThis.started ||= []).push(config);\n",
);
const relay = "http://relay.test:8787/";
const src = `${relay}loader.js`;

/**
 * URL, with the relay's address answered from `folder`: Node cannot import over http, so the
 * network is the one part faked here.
 */
class RelayURL extends URL {
  override get href() {
    const href = super.href;
    return href.startsWith(relay)
      ? pathToFileURL(join(folder, href.slice(relay.length))).href
      : href;
  }
}

/** Runs loader.js as a fresh <script async src=… data-site=…> would. */
const runLoader = async (script: { src: string; dataset: { site?: string } } | null) => {
  vi.stubGlobal("URL", RelayURL);
  vi.stubGlobal("document", { currentScript: script });
  vi.stubGlobal("window", globalThis);
  vi.resetModules();
  await import("./index.ts");
};

afterEach(async () => {
  // Let a load the test started finish before the next test looks.
  await new Promise((resolve) => setTimeout(resolve, 20));
  delete page.parley;
  delete page.started;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => rmSync(folder, { recursive: true }));

describe("loader", () => {
  it("queues window.parley calls at once, before anything loads", async () => {
    await runLoader({ src, dataset: { site: "demo" } });
    page.parley?.("optOut");
    page.parley?.("later", 1, "two");
    expect(page.parley?.q).toEqual([
      ["optOut", []],
      ["later", [1, "two"]],
    ]);
  });

  it("loads sdk.js from beside itself and starts it with the site, its host and the queue", async () => {
    await runLoader({ src, dataset: { site: "demo" } });
    page.parley?.("optOut");
    await vi.waitFor(() => expect(page.started).toHaveLength(1));
    expect(page.started?.[0]).toEqual({
      site: "demo",
      host: "relay.test:8787",
      queue: [["optOut", []]],
    });
    expect(page.started?.[0]?.queue).toBe(page.parley?.q);
  });

  it("waits for an idle moment when the browser offers one", async () => {
    const idle = vi.fn();
    vi.stubGlobal("requestIdleCallback", idle);
    await runLoader({ src, dataset: { site: "demo" } });
    expect(idle).toHaveBeenCalledWith(expect.any(Function), { timeout: 3000 });
    expect(page.started).toBeUndefined();
    await idle.mock.calls[0]?.[0]();
    expect(page.started).toHaveLength(1);
  });

  it("keeps a window.parley the page defined, with its queued commands", async () => {
    const own: Parley = (command, ...args) => {
      own.q ??= [];
      own.q.push([command, args]);
    };
    page.parley = own;
    own("optOut");
    await runLoader({ src, dataset: { site: "demo" } });
    expect(page.parley).toBe(own);
    await vi.waitFor(() => expect(page.started).toHaveLength(1));
    expect(page.started?.[0]?.queue).toEqual([["optOut", []]]);
  });

  it("starts once when the snippet is on the page twice", async () => {
    await runLoader({ src, dataset: { site: "demo" } });
    await runLoader({ src, dataset: { site: "demo" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.started).toHaveLength(1);
  });

  it("warns and loads nothing without data-site", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await runLoader({ src, dataset: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.started).toBeUndefined();
    expect(warn).toHaveBeenCalledWith("parley:", expect.stringContaining("data-site"));
  });

  it("never throws into the page, even when sdk.js cannot be loaded", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const missing = `${relay}missing/loader.js`;
    await expect(runLoader({ src: missing, dataset: { site: "demo" } })).resolves.toBeUndefined();
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await expect(
      runLoader({ src: "::not a url::", dataset: { site: "demo" } }),
    ).resolves.toBeUndefined();
  });
});
