import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { prefKey } from "./facade/index.ts";

type Parley = ((command: string, ...args: unknown[]) => void) & {
  q?: [string, unknown[]][];
  loaded?: boolean;
};
type Mounted = {
  tracker: { site: string; host: string };
  site: string;
  base: string;
  queue: [string, unknown[]][];
  root: FakeElement;
  nonce?: string;
  lang?: string;
  color?: string;
  position?: string;
};
const page = globalThis as unknown as {
  parley?: Parley;
  mounted?: Mounted[];
  pickers?: { relay: string; site: string; token: string }[];
};

// Stand-ins for sdk.js and widget.js beside a stand-in loader.js, served from a folder as the
// relay serves dist/public: the loader must find them there, start the SDK and mount the
// widget with the tracker.
const folder = mkdtempSync(join(tmpdir(), "parley-loader-"));
writeFileSync(join(folder, "sdk.js"), "export const start = (config) => config;\n");
writeFileSync(
  join(folder, "widget.js"),
  "export const mount = (config) => (globalThis.mounted ||= []).push(config);\n",
);
writeFileSync(
  join(folder, "pointer.js"),
  "export const startPicker = (options) => (globalThis.pickers ||= []).push(options);\n",
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

/** Just enough of a DOM element for the facade: what the loader touches, recorded. */
type FakeElement = {
  tag: string;
  children: FakeElement[];
  attributes: Record<string, string>;
  properties: Record<string, string>;
  classes: string[];
  textContent: string;
  nonce: string;
  hidden: boolean;
  shadow?: FakeElement;
  onclick: null | (() => void);
  onpointerenter: null | (() => void);
  onfocus: null | (() => void);
  readonly firstChild: FakeElement | undefined;
};
const fakeElement = (tag: string): FakeElement => {
  const element = {
    tag,
    children: [] as FakeElement[],
    attributes: {} as Record<string, string>,
    properties: {} as Record<string, string>,
    classes: [] as string[],
    textContent: "",
    nonce: "",
    hidden: false,
    shadow: undefined as FakeElement | undefined,
    onclick: null as null | (() => void),
    onpointerenter: null as null | (() => void),
    onfocus: null as null | (() => void),
    style: { setProperty: (name: string, value: string) => (element.properties[name] = value) },
    classList: { add: (name: string) => element.classes.push(name) },
    attachShadow: () => {
      element.shadow = fakeElement("#shadow-root");
      return element.shadow;
    },
    append: (...children: FakeElement[]) => element.children.push(...children),
    prepend: (...children: FakeElement[]) => element.children.unshift(...children),
    setAttribute: (name: string, value: string) => (element.attributes[name] = value),
    get firstChild() {
      return element.children.find((child) => child.tag !== "style");
    },
    /** The facade writes its button as markup: make the button it describes. */
    set innerHTML(html: string) {
      element.children.push(fakeElement(/^<(\w+)/.exec(html)?.[1] ?? "?"));
    },
  };
  return element;
};

/** The facade's button, once the page shows it. */
const facade = (body: FakeElement[]) => body[0]?.shadow?.firstChild;

/** Runs loader.js as a fresh <script async src=… data-…> would, on a page with a body. */
const runLoader = async (
  script: { src: string; nonce?: string; dataset: Record<string, string> } | null,
  storage: Record<string, string> = {},
) => {
  const body: FakeElement[] = [];
  vi.stubGlobal("URL", RelayURL);
  vi.stubGlobal("document", {
    currentScript: script,
    body: { append: (element: FakeElement) => body.push(element) },
    createElement: fakeElement,
    addEventListener() {},
  });
  vi.stubGlobal("localStorage", { getItem: (key: string) => storage[key] ?? null });
  vi.stubGlobal("navigator", { language: "en-US" });
  vi.stubGlobal("window", globalThis);
  vi.resetModules();
  await import("./index.ts");
  return body;
};

afterEach(async () => {
  // Let a load the test started finish before the next test looks.
  await new Promise((resolve) => setTimeout(resolve, 20));
  delete page.parley;
  delete page.mounted;
  delete page.pickers;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => rmSync(folder, { recursive: true }));

describe("loader: the command queue", () => {
  it("queues window.parley calls at once, before anything loads", async () => {
    await runLoader({ src, dataset: { site: "demo" } });
    page.parley?.("open");
    page.parley?.("later", 1, "two");
    expect(page.parley?.q).toEqual([
      ["open", []],
      ["later", [1, "two"]],
    ]);
    // The first import of the stand-ins can outlast afterEach's pause on a busy machine: let this
    // test's load finish here, so it cannot land in the next test.
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
  });

  it("starts sdk.js and mounts widget.js from beside itself with the snippet's settings and the queue", async () => {
    await runLoader({
      src,
      nonce: "n0nce",
      dataset: { site: "demo", lang: "es", color: "#ff0000", position: "left" },
    });
    page.parley?.("optOut");
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
    const mounted = page.mounted?.[0];
    expect(mounted).toMatchObject({
      tracker: { site: "demo", host: "relay.test:8787" },
      site: "demo",
      base: src,
      queue: [["optOut", []]],
      nonce: "n0nce",
      lang: "es",
      color: "#ff0000",
      position: "left",
    });
    expect(mounted?.queue).toBe(page.parley?.q);
    expect(mounted?.root.tag).toBe("#shadow-root");
  });

  it("waits for an idle moment when the browser offers one", async () => {
    const idle = vi.fn();
    vi.stubGlobal("requestIdleCallback", idle);
    await runLoader({ src, dataset: { site: "demo" } });
    expect(idle).toHaveBeenCalledWith(expect.any(Function), { timeout: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(page.mounted).toBeUndefined();
    idle.mock.calls[0]?.[0]();
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
  });

  it("keeps a window.parley the page defined, with its queued commands", async () => {
    const own: Parley = (command, ...args) => {
      own.q ??= [];
      own.q.push([command, args]);
    };
    page.parley = own;
    own("open");
    await runLoader({ src, dataset: { site: "demo" } });
    expect(page.parley).toBe(own);
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
    expect(page.mounted?.[0]?.queue).toEqual([["open", []]]);
  });

  it("mounts one widget when the snippet is on the page twice", async () => {
    const first = await runLoader({ src, dataset: { site: "demo" } });
    const second = await runLoader({ src, dataset: { site: "demo" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.mounted).toHaveLength(1);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
  });

  it("warns and loads nothing without data-site", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const body = await runLoader({ src, dataset: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.mounted).toBeUndefined();
    expect(body).toEqual([]);
    expect(warn).toHaveBeenCalledWith("parley:", expect.stringContaining("data-site"));
  });

  it("never throws into the page, even when the bundles cannot be loaded", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const missing = `${relay}missing/loader.js`;
    await expect(runLoader({ src: missing, dataset: { site: "demo" } })).resolves.toBeDefined();
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await expect(
      runLoader({ src: "::not a url::", dataset: { site: "demo" } }),
    ).resolves.toBeDefined();
  });
});

describe("loader: the facade launcher", () => {
  // Loading waits for an idle moment that never comes, so only the facade can start it.
  const neverIdle = () => vi.stubGlobal("requestIdleCallback", () => {});

  it("shows a labelled launcher at once, in the snippet's colour and position", async () => {
    const body = await runLoader({
      src,
      nonce: "n0nce",
      dataset: { site: "demo", color: "#ffd400", position: "left" },
    });
    expect(body).toHaveLength(1);
    const button = facade(body);
    expect(button?.tag).toBe("button");
    expect(button?.attributes["aria-label"]).toBe("Chat");
    expect(button?.properties).toEqual({ "--c": "#ffd400", "--on": "#000" });
    expect(button?.classes).toEqual(["left"]);
    // Node has no constructable stylesheets: the fallback <style> carries the nonce.
    const style = body[0]?.shadow?.children.find((child) => child.tag === "style");
    expect(style?.nonce).toBe("n0nce");
    expect(style?.textContent).toContain(".launcher{");
  });

  it("ignores a colour that is not #rrggbb", async () => {
    const body = await runLoader({ src, dataset: { site: "demo", color: "red;x:url(y)" } });
    expect(facade(body)?.properties).toEqual({});
  });

  it("takes the look the widget saw last over the snippet's", async () => {
    const look = { color: "#0a7d32", position: "left", text: "Need help?" };
    const body = await runLoader(
      { src, dataset: { site: "demo", color: "#ff0000" } },
      { [prefKey("demo", "facade")]: JSON.stringify(look) },
    );
    const button = facade(body);
    expect(button?.properties["--c"]).toBe("#0a7d32");
    expect(button?.classes).toEqual(["left"]);
    expect(button?.attributes["aria-label"]).toBe("Need help?");
    expect(button?.children.at(-1)?.textContent).toBe("Need help?");
  });

  it("shows no launcher where the widget found it cannot chat, but still loads", async () => {
    const body = await runLoader(
      { src, dataset: { site: "demo" } },
      { [prefKey("demo", "facade")]: JSON.stringify({ off: true }) },
    );
    expect(facade(body)).toBeUndefined();
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
  });

  it("stays hidden when the page hid the widget before it loaded", async () => {
    const own: Parley = (command, ...args) => {
      own.q ??= [];
      own.q.push([command, args]);
    };
    page.parley = own;
    own("hide");
    const body = await runLoader({ src, dataset: { site: "demo" } });
    expect(facade(body)?.hidden).toBe(true);
  });

  it("loads when the pointer comes over it", async () => {
    neverIdle();
    const body = await runLoader({ src, dataset: { site: "demo" } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(page.mounted).toBeUndefined();
    facade(body)?.onpointerenter?.();
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
    expect(page.parley?.q).toEqual([]);
  });

  it("loads on a click and opens the chat once loaded", async () => {
    neverIdle();
    const body = await runLoader({ src, dataset: { site: "demo" } });
    facade(body)?.onclick?.();
    await vi.waitFor(() => expect(page.mounted).toHaveLength(1));
    expect(page.mounted?.[0]?.queue).toEqual([["open", []]]);
  });

  it("loads once, whatever starts it and however often", async () => {
    const idle = vi.fn();
    vi.stubGlobal("requestIdleCallback", idle);
    const body = await runLoader({ src, dataset: { site: "demo" } });
    facade(body)?.onfocus?.();
    facade(body)?.onpointerenter?.();
    idle.mock.calls[0]?.[0]();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.mounted).toHaveLength(1);
  });
});

describe("loader: in the agent console's pointer frame", () => {
  /** A frame named as the console names it, in `parent`; what it posts and listens for. */
  function consoleFrame() {
    const posted: { message: unknown; origin: string }[] = [];
    const listeners: ((event: { data: unknown; origin: string; source: unknown }) => void)[] = [];
    const parent = {
      postMessage: (message: unknown, origin: string) => posted.push({ message, origin }),
    };
    vi.stubGlobal("name", "parley-pointer");
    vi.stubGlobal("parent", parent);
    vi.stubGlobal("addEventListener", (type: string, listener: (typeof listeners)[number]) => {
      if (type === "message") listeners.push(listener);
    });
    const greet = (origin: string, source: unknown = parent, token = "tok") => {
      for (const listener of listeners) {
        listener({ data: { source: "parley", method: "pointer:start", token }, origin, source });
      }
    };
    return { posted, greet, parent };
  }

  it("shows nothing, loads neither the SDK nor the widget, and tells the relay's origin it is there", async () => {
    const frame = consoleFrame();
    const body = await runLoader({ src, dataset: { site: "demo" } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(body).toEqual([]);
    expect(page.mounted).toBeUndefined();
    expect(frame.posted).toEqual([
      { message: { source: "parley", method: "pointer:ready" }, origin: "http://relay.test:8787" },
    ]);
  });

  it("starts the picker only on a greeting from the relay's origin and its parent", async () => {
    const frame = consoleFrame();
    await runLoader({ src, dataset: { site: "demo" } });
    // Only the first accepted greeting counts: a wrong one taken would start the picker with
    // its own token.
    frame.greet("https://evil.example", frame.parent, "evil");
    frame.greet("http://relay.test:8787", {}, "another-window");
    frame.greet("http://relay.test:8787");
    frame.greet("http://relay.test:8787", frame.parent, "again");
    await vi.waitFor(() => expect(page.pickers).toHaveLength(1));
    expect(page.pickers?.[0]).toMatchObject({
      relay: "http://relay.test:8787",
      site: "demo",
      token: "tok",
    });
  });
});
