/**
 * `npm run bench:step -- TARGET VISITORS [RUNS]`: one load step of section 3 or 4 on its own,
 * RUNS times (1 by default), each result printed as it comes. What "single-step runs" in
 * bench/README.md are: quicker than the whole bench, and easy to interleave by hand.
 * TARGET is parley, socketio or ws-forwarder. Run `npm run build` first (the script does).
 */
import type { TargetKind } from "./load-generator.ts";
import { runStep, stepLine, TARGET_KINDS } from "./relay-load.ts";

const [target, visitorsArg, runsArg = "1"] = process.argv.slice(2);
const visitors = Number(visitorsArg);
const runs = Number(runsArg);
if (!TARGET_KINDS.includes(target as TargetKind) || !Number.isInteger(visitors) || visitors < 1) {
  console.error(`usage: npm run bench:step -- ${TARGET_KINDS.join("|")} VISITORS [RUNS]`);
  process.exit(2);
}
process.env.PARLEY_LOG = "silent";
for (let run = 1; run <= runs; run++) {
  const step = await runStep(target as TargetKind, visitors);
  console.log(`${target} ${visitors} #${run}: ${stepLine(step)}`);
}
