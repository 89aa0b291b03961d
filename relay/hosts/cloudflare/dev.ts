/**
 * `npm run start:cloudflare`: the relay on the Cloudflare host, run on this machine by
 * `wrangler dev` (workerd, offline), with the demo shop and the agent console, as `npm start`
 * runs the node host. Settings (environment): PORT (8788), PARLEY_LOG (as the node host's). The
 * Durable Objects, the uploads and the session secret are kept in data/cloudflare/.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO } from "../../demo-site.ts";
import { isLogLevel } from "../../log.ts";
import { projectRoot } from "./assets.ts";
import { startWranglerDev } from "./dev-server.ts";

const persistTo = join(projectRoot, "data/cloudflare");
const port = Number(process.env.PORT ?? 8788);
const log = isLogLevel(process.env.PARLEY_LOG) ? process.env.PARLEY_LOG : undefined;

const dev = await startWranglerDev({
  port,
  persistTo,
  secret: secret(),
  demo: true,
  log,
  echo: true,
});
const base = dev.url.replace("127.0.0.1", "localhost");
console.log(`
Parley relay (Cloudflare host, wrangler dev) listening on ${dev.url}

  Demo shop      ${base}/demo/
  Agent console  ${base}/agent/
  Demo login     ${DEMO.email} / ${DEMO.password}
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    dev.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/** The session secret, made once and kept, so that agents stay signed in across restarts. */
function secret(): string {
  const file = join(persistTo, "parley-secret");
  if (!existsSync(file)) {
    mkdirSync(persistTo, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
