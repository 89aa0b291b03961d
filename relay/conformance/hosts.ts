/**
 * The two hosts the conformance suite drives, each started fresh on a free port of 127.0.0.1
 * with the demo site: the node host in this process, and the Cloudflare host under
 * `wrangler dev` (workerd, offline, its Durable Objects and R2 kept in a temporary folder).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev, type WranglerDev } from "../hosts/cloudflare/dev-server.ts";
import { storedRelaySecret } from "../hosts/node/sites.ts";
import { startTestRelay } from "../rooms/testing.ts";

export type ConformanceHost = {
  url: string;
  wsUrl: string;
  /** The host's `PARLEY_SECRET`, which signs site setup tokens. */
  secret: string;
  /** Stops the host and starts it again on what it stored (the port may change). */
  restart(): Promise<void>;
  close(): Promise<void>;
};

export const hosts: Record<"node" | "cloudflare", () => Promise<ConformanceHost>> = {
  node: async () => {
    const relay = await startTestRelay({ staticFiles: true });
    return Object.assign(relay, { secret: storedRelaySecret(relay.dbPath) ?? "" });
  },
  cloudflare: startCloudflareHost,
};

/** The Cloudflare host on the built bundles (run `npm run build` first). */
async function startCloudflareHost(): Promise<ConformanceHost> {
  const persistTo = mkdtempSync(join(tmpdir(), "parley-cloudflare-"));
  const options = { persistTo, secret: randomBytes(24).toString("hex"), demo: true };
  let dev: WranglerDev = await startWranglerDev(options);
  const host: ConformanceHost = {
    secret: options.secret,
    url: dev.url,
    wsUrl: dev.url.replace(/^http/, "ws"),
    async restart() {
      await dev.stop();
      dev = await startWranglerDev(options);
      host.url = dev.url;
      host.wsUrl = dev.url.replace(/^http/, "ws");
    },
    async close() {
      await dev.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
  return host;
}
