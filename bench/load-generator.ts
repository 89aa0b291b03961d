/**
 * The load generator, run as its own process (`child_process.fork` from relay-load.ts) so that
 * its CPU is not the relay's. It opens N visitor connections and M agent connections, sends
 * each visitor's page views and heartbeats at a set rate, and reports when every agent saw each
 * event: latency, delivered events per second, lost and duplicated events.
 *
 * Parent → generator: the `LoadConfig` as argv[2] (JSON), then `{type:"go"}` once the parent has
 * read the target's memory after the ramp. Generator → parent: `{type:"ramped"}`, then
 * `{type:"result", result}`.
 */
import {
  constants,
  type NodeGCPerformanceDetail,
  type PerformanceEntry,
  PerformanceObserver,
  performance,
} from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { loginDemoAgent } from "../e2e/agent-client.ts";
import type { RosterEntry } from "../protocol/index.ts";

/** Which relay the generator speaks to: Parley's protocol, or one of the baselines. */
export type TargetKind = "parley" | "socketio" | "ws-forwarder";

export type LoadConfig = {
  target: TargetKind;
  url: string;
  visitors: number;
  agents: number;
  /** Events per second sent by each visitor (page views and heartbeats, alternating). */
  ratePerVisitor: number;
  /** How long events are sent, after the ramp. */
  durationMs: number;
  /** How long to wait after the last send for the agents to see it; unseen events are lost. */
  drainMs: number;
};

export type LoadResult = {
  sent: number;
  /** (event, agent) pairs the agents saw, for events sent during the run. */
  observed: number;
  latency: { p50: number; p99: number; max: number };
  /** Events reaching every agent per second: observed / agents / duration. */
  deliveredPerSecond: number;
  /** Never seen by an agent, and no later event of that visitor was seen either. */
  lost: number;
  /** Not seen by an agent, but replaced by a later event of the same visitor (coalesced). */
  superseded: number;
  duplicated: number;
  rampMs: number;
  /** How far the send schedule fell behind at worst: the generator's own saturation. */
  scheduleLagMs: number;
  /** The generator's own CPU time per event sent, µs, from the first send to the end of the drain. */
  generatorCpuPerEventUs: number;
  /**
   * Full collections of the generator's own heap over the same span. Each stalls the generator
   * and, while it marks, takes the cores from the target: its figures would show the pause.
   */
  generatorFullCollections: number;
};

type Link = { send(text: string): void; close(): void };

/** A relay's wire format as far as the generator needs it. */
type Transport = {
  visitor(id: string): Promise<Link>;
  /** `onFrame` gets every text frame the agent receives. */
  agent(onFrame: (text: string) => void): Promise<Link>;
};

const SECRET = "bench-secret-0123456789";
const CONNECT_BATCH = 250;
const RAMP_TIMEOUT_MS = 120_000;

function wsUrl(url: string): string {
  return url.replace(/^http/, "ws");
}

function openWebSocket(url: string, origin: string): Promise<Link> {
  const ws = new WebSocket(url, { origin, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ send: (text) => ws.send(text), close: () => ws.close() }));
    ws.once("error", reject);
  });
}

/** Parley and the bare forwarder share the PartyKit routes. */
function partyTransport(url: string, agentQuery: () => Promise<string>): Transport {
  return {
    visitor: (id) =>
      openWebSocket(`${wsUrl(url)}/parties/visitor/${id}?site=demo&secret=${SECRET}`, url),
    async agent(onFrame) {
      const ws = new WebSocket(`${wsUrl(url)}/parties/site/demo?${await agentQuery()}`, {
        origin: url,
        perMessageDeflate: false,
      });
      ws.on("message", (data) => onFrame(data.toString()));
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      return { send: (text) => ws.send(text), close: () => ws.close() };
    },
  };
}

function openSocketIo(url: string, query: Record<string, string>): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], query, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function socketIoTransport(url: string): Transport {
  return {
    async visitor(id) {
      const socket = await openSocketIo(url, { visitorId: id });
      return { send: (text) => socket.emit("frame", text), close: () => socket.close() };
    },
    async agent(onFrame) {
      const socket = await openSocketIo(url, { role: "agent" });
      socket.on("frame", onFrame);
      return { send: (text) => socket.emit("frame", text), close: () => socket.close() };
    },
  };
}

function transportFor(config: LoadConfig): Transport {
  if (config.target === "socketio") return socketIoTransport(config.url);
  if (config.target === "ws-forwarder") return partyTransport(config.url, async () => "role=agent");
  return partyTransport(config.url, async () => {
    const { token } = await loginDemoAgent(config.url);
    return `token=${encodeURIComponent(token)}`;
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function inBatches<T>(count: number, open: (n: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, (_, k) =>
      open(start + k),
    );
    all.push(...(await Promise.all(batch)));
  }
  return all;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts this process's full collections (mark-compact) from now until `stop()`. */
function countFullCollections(): { stop(): number } {
  let full = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A "gc" entry carries its kind in `detail`, which the types leave off PerformanceEntry.
      const { detail } = entry as PerformanceEntry & { detail: NodeGCPerformanceDetail };
      if (detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      observer.disconnect();
      return full;
    },
  };
}

/** Runs one load step against a started relay. */
export async function generateLoad(config: LoadConfig, ready: () => Promise<void>) {
  const { visitors: n, agents: m, ratePerVisitor } = config;
  const transport = transportFor(config);
  const periodMs = 1000 / ratePerVisitor;
  const sendsPerVisitor = Math.ceil((config.durationMs / 1000) * ratePerVisitor);
  // Sequence 0 is the landing page view sent during the ramp; 1..sendsPerVisitor are measured.
  const seqs = sendsPerVisitor + 1;
  const ids = Array.from({ length: n }, (_, i) => `bench-${config.target}-${i}`);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const sentAt = new Float64Array(n * seqs);
  const seen = Array.from({ length: m }, () => new Uint8Array(n * seqs));
  const duplicateSeen = Array.from({ length: m }, () => new Uint8Array(n * seqs));
  const latencies = new Float64Array(n * seqs * m);
  let latencyCount = 0;
  let duplicated = 0;
  // Per visitor: the page view it is on, and the visit's engaged time each heartbeat leads to.
  const pageAt = new Float64Array(n);
  const engagedBase = new Float64Array(n);
  const lastEngaged = new Float64Array(n);
  const seqByVisitEngaged = Array.from({ length: n }, () => new Map<number, number>());

  function observe(agent: number, visitor: number, seq: number): void {
    if (seq < 0 || seq >= seqs) return;
    const slot = visitor * seqs + seq;
    const agentSeen = seen[agent] as Uint8Array;
    if (agentSeen[slot]) {
      if (config.target !== "parley") duplicated++;
      return;
    }
    agentSeen[slot] = 1;
    if (seq > 0) latencies[latencyCount++] = performance.now() - (sentAt[slot] as number);
  }

  function titleSeq(title: string): number {
    return Number(title.slice(title.lastIndexOf(" ") + 1));
  }

  function onParleyFrame(agent: number, text: string): void {
    const frame = JSON.parse(text) as { type: string; visitors?: RosterEntry[] };
    if (frame.type !== "roster" || !frame.visitors) return;
    for (const entry of frame.visitors) {
      const visitor = indexOf.get(entry.id);
      if (visitor === undefined || !entry.page) continue;
      const seq = titleSeq(entry.page.title);
      observe(agent, visitor, seq);
      // Page views are the even sequence numbers: the visit's count shows a page view applied twice.
      const slot = visitor * seqs + seq;
      const agentDuplicates = duplicateSeen[agent] as Uint8Array;
      if (entry.visit && entry.visit.pageviews > seq / 2 + 1 && !agentDuplicates[slot]) {
        agentDuplicates[slot] = 1;
        duplicated++;
      }
      const heartbeat = seqByVisitEngaged[visitor]?.get(entry.visit?.engagedMs ?? -1);
      if (heartbeat !== undefined) observe(agent, visitor, heartbeat);
    }
  }

  function onForwardedFrame(agent: number, text: string): void {
    const frame = JSON.parse(text) as { type: string; visitorId?: string; event?: { id: string } };
    if (frame.type !== "event" || !frame.visitorId || !frame.event) return;
    const visitor = indexOf.get(frame.visitorId);
    if (visitor === undefined) return;
    observe(agent, visitor, Number(frame.event.id.slice(frame.event.id.lastIndexOf("-") + 1)));
  }

  const onFrame = config.target === "parley" ? onParleyFrame : onForwardedFrame;
  const agentLinks = await inBatches(m, (a) => transport.agent((text) => onFrame(a, text)));

  function eventFor(visitor: number, seq: number): Record<string, unknown> {
    const id = ids[visitor] as string;
    const at = Date.now();
    const common = { id: `${id}-e-${seq}`, at, visitId: `${id}-visit` };
    if (seq % 2 === 0) {
      engagedBase[visitor] = (engagedBase[visitor] as number) + (lastEngaged[visitor] as number);
      lastEngaged[visitor] = 0;
      pageAt[visitor] = at;
      return {
        ...common,
        kind: "pageview",
        url: `http://127.0.0.1/demo/products/item-${seq}.html`,
        title: `Bench page ${seq}`,
      };
    }
    // A heartbeat: engaged since the page view (never zero, so each report changes the visit).
    const engagedMs = Math.max(1, at - (pageAt[visitor] as number) + 1);
    lastEngaged[visitor] = engagedMs;
    seqByVisitEngaged[visitor]?.set((engagedBase[visitor] as number) + engagedMs, seq);
    return {
      ...common,
      kind: "engagement",
      pageviewId: `${id}-e-${seq - 1}`,
      engagedMs,
      active: true,
    };
  }

  function send(link: Link, visitor: number, seq: number, extra: Record<string, unknown>[] = []) {
    const event = eventFor(visitor, seq);
    sentAt[visitor * seqs + seq] = performance.now();
    link.send(JSON.stringify({ type: "track", events: [...extra, event] }));
  }

  const rampStart = performance.now();
  const visitorLinks = await inBatches(n, async (visitor) => {
    const link = await transport.visitor(ids[visitor] as string);
    const id = ids[visitor] as string;
    const visit = {
      kind: "visit",
      id: `${id}-v`,
      at: Date.now(),
      visitId: `${id}-visit`,
      number: 1,
      landingUrl: "http://127.0.0.1/demo/",
    };
    send(link, visitor, 0, [visit]);
    return link;
  });
  // The ramp ends when every agent has seen every visitor's landing page.
  const rampDeadline = performance.now() + RAMP_TIMEOUT_MS;
  const everyoneLanded = () =>
    seen.every((agentSeen) => ids.every((_, visitor) => agentSeen[visitor * seqs] === 1));
  while (!everyoneLanded()) {
    if (performance.now() > rampDeadline) throw new Error("ramp: agents did not see every visitor");
    await delay(100);
  }
  const rampMs = performance.now() - rampStart;
  await ready();

  const total = n * sendsPerVisitor;
  let k = 0;
  let scheduleLagMs = 0;
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  const fullCollections = countFullCollections();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      while (k < total && (k * periodMs) / n <= elapsed) {
        scheduleLagMs = Math.max(scheduleLagMs, elapsed - (k * periodMs) / n);
        const visitor = k % n;
        send(visitorLinks[visitor] as Link, visitor, 1 + Math.floor(k / n));
        k++;
      }
      if (k >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const sendMs = performance.now() - start;
  await delay(config.drainMs);
  const cpu = process.cpuUsage(cpuAtStart);
  const generatorFullCollections = fullCollections.stop();

  let observed = 0;
  let lost = 0;
  let superseded = 0;
  for (const agentSeen of seen) {
    for (let visitor = 0; visitor < n; visitor++) {
      let laterSeen = false;
      for (let seq = seqs - 1; seq >= 1; seq--) {
        if (agentSeen[visitor * seqs + seq]) {
          observed++;
          laterSeen = true;
        } else if (laterSeen) superseded++;
        else lost++;
      }
    }
  }
  for (const link of [...visitorLinks, ...agentLinks]) link.close();

  const sorted = latencies.slice(0, latencyCount).sort();
  const result: LoadResult = {
    sent: total,
    observed,
    latency: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
    deliveredPerSecond: observed / m / (sendMs / 1000),
    lost,
    superseded,
    duplicated,
    rampMs,
    scheduleLagMs,
    generatorCpuPerEventUs: (cpu.user + cpu.system) / total,
    generatorFullCollections,
  };
  return result;
}

// Run as a forked child: the config comes in argv, the results go back over IPC.
if (process.send && process.argv[2]) {
  const config = JSON.parse(process.argv[2]) as LoadConfig;
  const reply = (message: unknown) => process.send?.(message);
  generateLoad(config, () => {
    reply({ type: "ramped" });
    return new Promise((resolve) => process.once("message", () => resolve()));
  }).then(
    (result) => {
      reply({ type: "result", result });
      process.disconnect();
      setTimeout(() => process.exit(0), 500).unref();
    },
    (error: unknown) => {
      reply({ type: "error", message: String(error instanceof Error ? error.stack : error) });
      process.exit(1);
    },
  );
}
