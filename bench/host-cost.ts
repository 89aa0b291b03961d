/**
 * Section 2: what the snippet costs the host page, in Chromium through the DevTools protocol.
 * The demo shop's home page is loaded with the snippet and without it (the same HTML with the
 * `<script>` tag taken out), each in a fresh context (cold cache), several times; medians.
 */
import { chromium, type Page } from "playwright-core";
import { connectAgent } from "../e2e/agent-client.ts";
import { chromiumLaunchOptions } from "../e2e/chromium-launch.ts";
import { startRelayProcess } from "../e2e/relay-process.ts";
import { percentile } from "./statistics.ts";
import { kb, ms, type Row, verdict } from "./table.ts";

const RUNS = 5;
/** Time the page is left alone before the first interaction: the loader fetches on idle. */
const SETTLE_MS = 3000;
const READY_TIMEOUT_MS = 15_000;
const OUR_SCRIPTS = /\/(loader|sdk|widget)\.js|\/chunks\//;
const SNIPPET = /<script[^>]*src="\/loader\.js"[^>]*><\/script>/;

type CpuProfile = {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
};

type PageRun = {
  scriptMsBefore: number;
  scriptMsAfter: number;
  longTasks: number;
  layoutShift: number;
  bytesBefore: number;
  clickToTypingMs: number;
};

/** Main-thread time in our scripts and everything they call, from a sampled CPU profile. */
function timeInOurScripts(profile: CpuProfile): number {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ours = new Map<number, boolean>();
  const isOurs = (id: number): boolean => {
    const known = ours.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const result =
      OUR_SCRIPTS.test(byId.get(id)?.callFrame.url ?? "") ||
      (parent !== undefined && isOurs(parent));
    ours.set(id, result);
    return result;
  };
  let micros = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next sample.
  for (let i = 0; i < samples.length - 1; i++) {
    if (isOurs(samples[i] as number)) micros += deltas[i + 1] ?? 0;
  }
  return micros / 1000;
}

const median = (values: number[]) => percentile(values, 0.5);

/** Counts long tasks and layout shifts from the page's first moment. */
function watchPerformance(): void {
  const seen = { longTasks: 0, layoutShift: 0 };
  (window as unknown as { __bench: typeof seen }).__bench = seen;
  new PerformanceObserver((list) => {
    seen.longTasks += list.getEntries().filter((entry) => entry.duration > 50).length;
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & {
      value: number;
      hadRecentInput: boolean;
    })[]) {
      if (!entry.hadRecentInput) seen.layoutShift += entry.value;
    }
  }).observe({ type: "layout-shift", buffered: true });
  addEventListener(
    "pointerdown",
    (event) => {
      (window as unknown as { __clickAt: number }).__clickAt = event.timeStamp;
    },
    { capture: true, once: true },
  );
}

async function loadDemo(page: Page, url: string, snippet: boolean, profile: boolean) {
  const cdp = await page.context().newCDPSession(page);
  await page.addInitScript(watchPerformance);
  if (!snippet) {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace(SNIPPET, "") });
    });
  }
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
  }
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(SETTLE_MS);
  return cdp;
}

async function pageFigures(page: Page) {
  return page.evaluate(() => {
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const navigation = performance.getEntriesByType("navigation") as PerformanceResourceTiming[];
    const bench = (window as unknown as { __bench: { longTasks: number; layoutShift: number } })
      .__bench;
    return {
      ...bench,
      bytes: [...resources, ...navigation].reduce((sum, entry) => sum + entry.transferSize, 0),
    };
  });
}

/** One page load with the snippet, the first click on the launcher, and the chat ready to type. */
async function runWithSnippet(page: Page, url: string): Promise<PageRun> {
  const cdp = await loadDemo(page, url, true, true);
  const before = await pageFigures(page);
  const beforeProfile = (await cdp.send("Profiler.stop")).profile as CpuProfile;
  await cdp.send("Profiler.start");
  const launcher = page.locator("parley-chat").getByTestId("launcher");
  await launcher.click();
  const readyAt = await page.waitForFunction(
    () => {
      // The first field of the window: the pre-chat form's name by default, else the composer.
      const field = document
        .querySelector("parley-chat")
        ?.shadowRoot?.querySelector<HTMLInputElement | HTMLTextAreaElement>(
          '[data-testid="chat-window"] :is(textarea, input[type="text"], input[type="email"])',
        );
      if (!field || field.disabled || field.readOnly) return false;
      if (field.getClientRects().length === 0) return false;
      return performance.now();
    },
    undefined,
    { polling: "raf", timeout: READY_TIMEOUT_MS },
  );
  const clickAt = await page.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
  const afterProfile = (await cdp.send("Profiler.stop")).profile as CpuProfile;
  const after = await pageFigures(page);
  return {
    scriptMsBefore: timeInOurScripts(beforeProfile),
    scriptMsAfter: timeInOurScripts(afterProfile),
    longTasks: after.longTasks,
    layoutShift: after.layoutShift,
    bytesBefore: before.bytes,
    clickToTypingMs: ((await readyAt.jsonValue()) as number) - clickAt,
  };
}

export type HostCost = { rows: Row[]; browserVersion: string };

export async function benchHostCost(log: (line: string) => void): Promise<HostCost> {
  const relay = await startRelayProcess();
  // With an agent online the launcher opens the chat itself, not the offline form.
  const agent = await connectAgent(relay.url);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const browserVersion = browser.version();
  const url = `${relay.url}/demo/index.html`;
  const withSnippet: PageRun[] = [];
  const without: Awaited<ReturnType<typeof pageFigures>>[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      log(`host cost: run ${run + 1} of ${RUNS}`);
      for (const snippet of [true, false]) {
        const context = await browser.newContext();
        const page = await context.newPage();
        if (snippet) withSnippet.push(await runWithSnippet(page, url));
        else {
          await loadDemo(page, url, false, false);
          without.push(await pageFigures(page));
        }
        await context.close();
      }
    }
  } finally {
    agent.close();
    await browser.close();
    await relay.stop();
  }
  const of = (key: keyof PageRun) => median(withSnippet.map((run) => run[key]));
  const plain = (key: "longTasks" | "layoutShift" | "bytes") =>
    median(without.map((run) => run[key]));
  const section = `2. Host page (Chromium, median of ${RUNS})`;
  const baseline = "without the snippet";
  const rows: Row[] = [
    {
      section,
      measure: "main-thread time in our scripts before the first interaction",
      value: ms(of("scriptMsBefore")),
      baseline: `${baseline}: 0 ms`,
    },
    {
      section,
      measure: "main-thread time in our scripts, click to chat ready",
      value: ms(of("scriptMsAfter")),
    },
    {
      section,
      measure: "long tasks over 50 ms (whole page, load to chat ready)",
      value: String(of("longTasks")),
      baseline: `${baseline}: ${plain("longTasks")}`,
      goal: "none",
      result: verdict(of("longTasks") === 0, false),
    },
    {
      section,
      measure: "cumulative layout shift (whole page)",
      value: of("layoutShift").toFixed(4),
      baseline: `${baseline}: ${plain("layoutShift").toFixed(4)}`,
      goal: "0",
      result: verdict(of("layoutShift") === 0, false),
    },
    {
      section,
      measure: "bytes transferred before the first interaction (whole page)",
      value: kb(of("bytesBefore")),
      baseline: `${baseline}: ${kb(plain("bytes"))}`,
    },
    {
      section,
      measure: "click on the launcher → chat window with a field ready to type in",
      value: ms(of("clickToTypingMs")),
    },
  ];
  return { rows, browserVersion };
}
