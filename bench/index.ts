/**
 * `npm run bench`: every section in turn, one table at the end (Markdown, as the README shows
 * it). Exits with 1 when a budget is broken (a FAIL row); goals print PASS or MISS and do not
 * change the exit code. Run `npm run build` first (the `bench` script does).
 */
import { cpus, totalmem } from "node:os";
import { benchBundles } from "./bundles.ts";
import { benchConsoleFrames } from "./console-frames.ts";
import { benchHostCost } from "./host-cost.ts";
import { benchRelayLoad } from "./relay-load.ts";
import { formatTable, type Row } from "./table.ts";

// Relays started by the bench log nothing: refused-input lines would only slow them down.
process.env.PARLEY_LOG = "silent";
const log = (line: string) => console.error(line);
const started = Date.now();

// The relay load runs before Chromium: in the other order its first step measured a slower
// relay (p99 2.5 s instead of 35 ms at 1,000 visitors), whatever Chromium leaves behind.
const bundles = benchBundles();
const relayLoad = await benchRelayLoad(log);
const hostCost = await benchHostCost(log);
const consoleFrames = await benchConsoleFrames(log);
const rows: Row[] = [...bundles, ...hostCost.rows, ...relayLoad, ...consoleFrames];

const cpu = cpus();
const machine = `${cpu.length} cores (${cpu[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${hostCost.browserVersion}`;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `\nParley benchmarks, ${new Date().toISOString().slice(0, 10)}; ${machine}; ${seconds} s\n`,
);
console.log(formatTable(rows));
const broken = rows.filter((row) => row.result === "FAIL");
if (broken.length > 0) {
  console.log(
    `\n${broken.length} budget(s) broken: ${broken.map((row) => row.measure).join("; ")}`,
  );
  process.exitCode = 1;
}
