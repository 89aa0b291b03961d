/**
 * The Cloudflare host on this machine: `wrangler dev` (workerd, offline) on the Worker in
 * worker/, its Durable Objects and R2 bucket kept in a folder. For `npm run start:cloudflare`
 * and for the tests that drive this host.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import type { LogLevel } from "../../log.ts";
import { assembleAssets, projectRoot } from "./assets.ts";

const READY_WITHIN_MS = 60_000;

export type WranglerDevOptions = {
  /** Port on 127.0.0.1; 0 or left out picks a free one. */
  port?: number;
  /** Where the Durable Objects and the R2 bucket are kept across starts. */
  persistTo: string;
  /** `PARLEY_SECRET`: signs agent sessions (at least 32 characters). */
  secret: string;
  /** Make sure the demo site and admin exist (`PARLEY_DEMO=on`). */
  demo: boolean;
  /** What the rooms log (`PARLEY_LOG`); `info` when left out. */
  log?: LogLevel;
  /** Pass wrangler's output on to this process's (a failure to start shows it either way). */
  echo?: boolean;
};

export type WranglerDev = {
  /** Base URL, e.g. http://127.0.0.1:8788 */
  url: string;
  /** The latest 20,000 characters wrangler and the Worker wrote (the rooms' log among them). */
  output(): string;
  /** Stops wrangler and the workerd it started. */
  stop(): Promise<void>;
};

/**
 * Lays out the static assets (assets.ts) and starts `wrangler dev`; resolves once it serves
 * `loader.js`, rejects with wrangler's output if it ends or is not ready within a minute.
 *
 * @example
 * const dev = await startWranglerDev({ persistTo: "data/cloudflare", secret, demo: true });
 * await dev.stop();
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  assembleAssets();
  const port = options.port || (await freePort());
  const child = spawn(
    join(projectRoot, "node_modules/.bin/wrangler"),
    [
      "dev",
      ...["--config", join(projectRoot, "relay/hosts/cloudflare/wrangler.jsonc")],
      ...["--ip", "127.0.0.1", "--port", String(port), "--persist-to", options.persistTo],
      ...["--var", `PARLEY_SECRET:${options.secret}`],
      ...["--var", `PARLEY_DEMO:${options.demo ? "on" : "off"}`],
      ...(options.log ? ["--var", `PARLEY_LOG:${options.log}`] : []),
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: projectRoot,
      // A process group of its own, so that stopping it stops workerd too.
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  // The latest of it only: a development session may run for days.
  let output = "";
  const take = (chunk: Buffer, to: NodeJS.WriteStream) => {
    output = (output + chunk).slice(-20_000);
    if (options.echo) to.write(chunk);
  };
  child.stdout?.on("data", (chunk: Buffer) => take(chunk, process.stdout));
  child.stderr?.on("data", (chunk: Buffer) => take(chunk, process.stderr));
  const dev: WranglerDev = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stop(child),
  };
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev ended:\n${output}`);
    if (Date.now() > deadline) {
      await dev.stop();
      throw new Error(`wrangler dev was not ready within a minute:\n${output}`);
    }
    const ready = await fetch(`${dev.url}/loader.js`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return dev;
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid || child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise((done) => child.once("exit", done));
  process.kill(-pid, "SIGTERM");
  const killed = setTimeout(() => process.kill(-pid, "SIGKILL"), 5_000);
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
