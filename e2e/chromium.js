// Runs before `npm test`: the end-to-end tests drive Debian's Chromium, never a downloaded one.
// As root it installs Chromium when it is missing; otherwise it stops with the command to run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const install = ["apt-get update", "apt-get install -y chromium"];

if (!existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log(`pretest: ${chromium} is missing; installing Debian's chromium`);
    for (const command of install) execFileSync("sh", ["-c", command], { stdio: "inherit" });
  } else {
    console.error(`pretest: ${chromium} is missing. Install it, then run npm test again:\n`);
    console.error(`  sudo sh -c '${install.join(" && ")}'\n`);
    process.exit(1);
  }
}
