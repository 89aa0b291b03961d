import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A relay running as its own process, as `npm start` runs it, that a test can kill. */
export type RelayProcess = {
  url: string;
  port: number;
  /** Its SQLite file. */
  dbPath: string;
  /** Kills the process at once (SIGKILL), as a crash would. */
  crash(): Promise<void>;
  /** Starts it again on the same port and database. */
  restart(): Promise<void>;
  /** Stops it and removes its database. */
  stop(): Promise<void>;
};

const mainJs = join(import.meta.dirname, "../dist/relay/main.js");

/**
 * Starts `dist/relay/main.js` on a free port of 127.0.0.1 with a fresh database, or `dbPath`
 * (its folder is removed on stop), and `env` besides.
 */
export async function startRelayProcess(
  options: { dbPath?: string; env?: Record<string, string> } = {},
): Promise<RelayProcess> {
  const dir = options.dbPath ? dirname(options.dbPath) : mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const dbPath = options.dbPath ?? join(dir, "relay.sqlite");
  let child: ChildProcess;
  let port = 0;

  async function launch(): Promise<void> {
    child = spawn(process.execPath, [mainJs], {
      env: {
        ...process.env,
        ...options.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        PARLEY_DB: dbPath,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    port = await new Promise<number>((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once("exit", (code) => reject(new Error(`relay exited (${code}):\n${output}`)));
    });
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  }

  function exited(signal: NodeJS.Signals): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  }

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dbPath,
    crash: () => exited("SIGKILL"),
    restart: launch,
    async stop() {
      await exited("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `dist/relay/main.js` with `env` until it exits by itself (a relay that cannot start), and
 * returns its exit code and what it wrote to stderr.
 */
export function runRelayUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}
