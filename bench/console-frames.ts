/**
 * Section 5: the agent console at scale. A relay process gets 5,000 live visitors from the load
 * generator (its own process, as in section 3), an agent signs in to the console in Chromium
 * with the live visitors list open, and while every visitor sends an event a second the
 * console's main thread is traced for ten seconds.
 *
 * A frame's time is the main thread's busy time between two animation frames (every task,
 * clipped to the interval: the relay's frames, rendering, style, layout, paint). Measuring the
 * interval itself would say nothing under 16.7 ms: headless Chromium draws at 60 Hz whatever the
 * work. Frames that follow a WebSocket message are told apart: the console takes roster deltas
 * there, and applies them at most every 250 ms (`ROSTER_APPLY_MS`).
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { chromiumLaunchOptions } from "../e2e/chromium-launch.ts";
import { signInToConsole } from "../e2e/fixtures.ts";
import { startRelayProcess } from "../e2e/relay-process.ts";
import type { LoadConfig } from "./load-generator.ts";
import { percentile } from "./statistics.ts";
import { count, ms, type Row, verdict } from "./table.ts";

const root = join(import.meta.dirname, "..");
const VISITORS = 5000;
const GOAL_MS = 16;
/** Updates stream this long before the trace starts, so the first frames are steady ones. */
const WARM_UP_MS = 2_000;
const MEASURE_MS = 10_000;
const LIST_TIMEOUT_MS = 120_000;
const FRAME_MARK = "parley-bench-frame";
const UPDATE_FRAME_MARK = "parley-bench-update-frame";

type TraceEvent = {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
};

/**
 * In the page, from its first moment: marks every animation frame while recording (the mark's
 * name says whether a WebSocket message arrived since the previous frame) and counts long tasks.
 */
function watchFrames(marks: { frame: string; update: string }): void {
  const state = { recording: false, messageSince: false, longTasks: 0, longTaskMs: 0 };
  (window as unknown as { __frames: typeof state }).__frames = state;
  const Native = WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", () => {
        state.messageSince = true;
      });
    }
  };
  new PerformanceObserver((list) => {
    if (!state.recording) return;
    for (const entry of list.getEntries()) {
      if (entry.duration <= 50) continue;
      state.longTasks += 1;
      state.longTaskMs += entry.duration;
    }
  }).observe({ type: "longtask" });
  const loop = {
    frame() {
      if (state.recording) {
        performance.mark(state.messageSince ? marks.update : marks.frame);
        performance.clearMarks();
      }
      state.messageSince = false;
      requestAnimationFrame(loop.frame);
    },
  };
  requestAnimationFrame(loop.frame);
}

function setRecording(page: Page, recording: boolean) {
  return page.evaluate((on) => {
    const state = (window as unknown as { __frames: { recording: boolean } }).__frames;
    state.recording = on;
  }, recording);
}

function readLongTasks(page: Page) {
  return page.evaluate(() => {
    const state = (window as unknown as { __frames: { longTasks: number; longTaskMs: number } })
      .__frames;
    return { count: state.longTasks, totalMs: state.longTaskMs };
  });
}

type Frame = { ms: number; update: boolean };

/**
 * Main-thread busy time between consecutive frame marks, from a Chromium trace: the top-level
 * tasks of the thread that made the marks (the renderer's main thread), clipped to each frame.
 */
function frameTimes(events: TraceEvent[]): Frame[] {
  const marks = events
    .filter((event) => event.name === FRAME_MARK || event.name === UPDATE_FRAME_MARK)
    .sort((a, b) => a.ts - b.ts);
  const main = marks[0];
  if (!main) return [];
  const tasks = events
    .filter(
      (event) =>
        event.ph === "X" &&
        event.name === "ThreadControllerImpl::RunTask" &&
        event.pid === main.pid &&
        event.tid === main.tid,
    )
    .map((event) => ({ start: event.ts, end: event.ts + (event.dur ?? 0) }))
    .sort((a, b) => a.start - b.start);
  const frames: Frame[] = [];
  let first = 0;
  for (let i = 1; i < marks.length; i++) {
    const start = (marks[i - 1] as TraceEvent).ts;
    const mark = marks[i] as TraceEvent;
    while ((tasks[first]?.end ?? Number.POSITIVE_INFINITY) <= start) first++;
    let busy = 0;
    for (let t = first; t < tasks.length && (tasks[t]?.start ?? 0) < mark.ts; t++) {
      const task = tasks[t] as { start: number; end: number };
      busy += Math.max(0, Math.min(mark.ts, task.end) - Math.max(start, task.start));
    }
    frames.push({ ms: busy / 1000, update: mark.name === UPDATE_FRAME_MARK });
  }
  return frames;
}

/** Forks the load generator; resolves once its visitors are connected. */
function startVisitors(url: string): Promise<ChildProcess> {
  const config: LoadConfig = {
    target: "parley",
    url,
    visitors: VISITORS,
    // The console is the only agent: the generator checks no delivery here.
    agents: 0,
    ratePerVisitor: 1,
    durationMs: LIST_TIMEOUT_MS + WARM_UP_MS + MEASURE_MS,
    drainMs: 0,
  };
  const generator = fork(join(root, "bench/load-generator.ts"), [JSON.stringify(config)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    generator.on("message", (message: { type: string; message?: string }) => {
      if (message.type === "ramped") resolve(generator);
      else if (message.type === "error") reject(new Error(message.message));
    });
    generator.once("exit", (code) => reject(new Error(`load generator exited (${code})`)));
  });
}

function stopGenerator(generator: ChildProcess): Promise<void> {
  if (generator.exitCode !== null || generator.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    generator.once("exit", () => resolve());
    generator.kill("SIGKILL");
  });
}

export async function benchConsoleFrames(log: (line: string) => void): Promise<Row[]> {
  const relay = await startRelayProcess();
  let generator: ChildProcess | undefined;
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    log(`console frames: ${count(VISITORS)} visitors connecting`);
    generator = await startVisitors(relay.url);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(watchFrames, { frame: FRAME_MARK, update: UPDATE_FRAME_MARK });
    await signInToConsole(page, relay.url);
    await page
      .getByTestId("visitor-count")
      .filter({ hasText: `of ${VISITORS} visitors` })
      .waitFor({ timeout: LIST_TIMEOUT_MS });
    log("console frames: every visitor listed; updates streaming");
    generator.send({ type: "go" });
    await page.waitForTimeout(WARM_UP_MS);
    await browser.startTracing(page, { categories: ["toplevel", "blink.user_timing"] });
    await setRecording(page, true);
    await page.waitForTimeout(MEASURE_MS);
    await setRecording(page, false);
    const trace = JSON.parse((await browser.stopTracing()).toString()) as {
      traceEvents: TraceEvent[];
    };
    const longTasks = await readLongTasks(page);
    const frames = frameTimes(trace.traceEvents);
    const all = frames.map((frame) => frame.ms);
    const updates = frames.filter((frame) => frame.update).map((frame) => frame.ms);
    const figures = (values: number[]) =>
      `median ${ms(percentile(values, 0.5))} / p95 ${ms(percentile(values, 0.95))} / max ${ms(Math.max(...values))}`;
    log(
      `  ${frames.length} frames: ${figures(all)}; with updates (${updates.length}): ${figures(updates)}`,
    );
    const section = `5. Agent console, ${count(VISITORS)} live visitors × 1/s (Chromium, ${MEASURE_MS / 1000} s)`;
    return [
      {
        section,
        measure: "main-thread time per frame while updates stream",
        value: figures(all),
        goal: `median < ${GOAL_MS} ms`,
        result: verdict(percentile(all, 0.5) < GOAL_MS, false),
      },
      {
        section,
        measure: "main-thread time per frame after a WebSocket message (deltas applied ≤ 4/s)",
        value: `${figures(updates)} (${count(updates.length)} frames)`,
      },
      {
        section,
        measure: "frames drawn; long tasks over 50 ms",
        value: `${count(frames.length)} frames (${(frames.length / (MEASURE_MS / 1000)).toFixed(0)}/s); long tasks: ${count(longTasks.count)}, ${ms(longTasks.totalMs)} in all`,
      },
    ];
  } finally {
    if (generator) await stopGenerator(generator);
    await browser.close();
    await relay.stop();
  }
}
