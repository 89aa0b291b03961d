/**
 * `npm start`: the relay on http://localhost:8787 with the demo shop and the agent console.
 *
 * Settings (environment): PORT (8787), HOST (127.0.0.1), PARLEY_DB (./data/parley.sqlite),
 * PARLEY_TRUST_PROXY=1 to take client IPs from X-Forwarded-For behind your own proxy,
 * PARLEY_PUBLIC_URL (https://relay.example) for the links the relay makes, PARLEY_DEMO=off to
 * leave out the demo site (your own sites: `npm run site`).
 */
import { join } from "node:path";
import { DEMO } from "../../demo-site.ts";
import { databasePath, projectRoot as root } from "./paths.ts";
import { startRelay } from "./server.ts";

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? "127.0.0.1";
const demo = process.env.PARLEY_DEMO !== "off";
const relay = await startRelay({
  port,
  host,
  dbPath: databasePath(),
  publicDir: join(root, "dist/public"),
  demoDir: join(root, "demo"),
  trustProxy: process.env.PARLEY_TRUST_PROXY === "1",
  publicUrl: process.env.PARLEY_PUBLIC_URL || undefined,
  demo,
}).catch((error: unknown) => {
  console.error(`Parley could not start: ${whyNotStarted(error)}`);
  process.exit(1);
});

const base = relay.url.replace("127.0.0.1", "localhost");
console.log(`Parley relay listening on ${relay.url}
`);
console.log(
  demo
    ? `  Demo shop      ${base}/demo/
  Agent console  ${base}/agent/
  Demo login     ${DEMO.email} / ${DEMO.password} (as first created: change it in the console,
                 your name at the top right)
`
    : `  Agent console  ${base}/agent/
`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    relay.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/** What a site owner can act on, instead of a stack trace. */
function whyNotStarted(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") {
    return `${host}:${port} is in use, by another relay or another program. Stop it, or start this one on another port: PORT=${port + 1} npm start`;
  }
  if (code === "EACCES")
    return `not allowed to listen on ${host}:${port}; choose a port above 1023 (PORT)`;
  return error instanceof Error ? error.message : String(error);
}
