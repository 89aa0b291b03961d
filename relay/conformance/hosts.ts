/**
 * The two hosts the conformance suite drives, each started fresh on a free port of 127.0.0.1
 * with the demo site: the node host in this process, and the Cloudflare host under
 * `wrangler dev` (workerd, offline, its Durable Objects and R2 kept in a temporary folder).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assembleAssets } from "../hosts/cloudflare/assets.ts";
import { startTestRelay } from "../rooms/testing.ts";

export type ConformanceHost = {
  url: string;
  wsUrl: string;
  /** Stops the host and starts it again on what it stored (the port may change). */
  restart(): Promise<void>;
  close(): Promise<void>;
};

export const hosts: Record<"node" | "cloudflare", () => Promise<ConformanceHost>> = {
  node: () => startTestRelay({ staticFiles: true }),
  cloudflare: startWranglerDev,
};

const projectRoot = resolve(import.meta.dirname, "../..");
const wrangler = join(projectRoot, "node_modules/.bin/wrangler");
const config = join(projectRoot, "relay/hosts/cloudflare/wrangler.jsonc");
const READY_WITHIN_MS = 60_000;

/** The Cloudflare host under `wrangler dev`, on the built bundles (run `npm run build` first). */
async function startWranglerDev(): Promise<ConformanceHost> {
  assembleAssets();
  const state = mkdtempSync(join(tmpdir(), "parley-cloudflare-"));
  const secret = randomBytes(24).toString("hex");
  let child: ChildProcess | undefined;
  const host: ConformanceHost = {
    url: "",
    wsUrl: "",
    async restart() {
      await stop(child);
      await start();
    },
    async close() {
      await stop(child);
      rmSync(state, { recursive: true, force: true });
    },
  };
  async function start(): Promise<void> {
    const port = await freePort();
    child = spawn(
      wrangler,
      [
        "dev",
        ...["--config", config, "--ip", "127.0.0.1", "--port", String(port)],
        ...["--persist-to", state, "--show-interactive-dev-session=false"],
        ...["--var", `PARLEY_SECRET:${secret}`, "--var", "PARLEY_DEMO:on"],
      ],
      {
        cwd: projectRoot,
        // Its own process group, so that stopping it stops workerd too.
        detached: true,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    host.url = `http://127.0.0.1:${port}`;
    host.wsUrl = `ws://127.0.0.1:${port}`;
    const deadline = Date.now() + READY_WITHIN_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev ended:\n${output}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev not ready:\n${output}`);
      const answered = await fetch(`${host.url}/loader.js`).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return;
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  await start();
  return host;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const ended = new Promise((done) => child.once("exit", done));
  process.kill(-child.pid, "SIGTERM");
  const killed = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5_000);
  await ended;
  clearTimeout(killed);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
