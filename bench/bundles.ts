/**
 * Section 1: bundle weight, brotli and gzip, everything included. The budgeted groups are the
 * `size-limit` entries of package.json (the same ones `npm test` checks), so the two can never
 * disagree; the agent console is measured beside them (every file under dist/public/agent/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { kb, type Row, verdict } from "./table.ts";

const root = join(import.meta.dirname, "..");

type SizeLimitEntry = { name: string; path: string | string[]; limit: string };

/** Published transfer sizes of other chat widgets, for scale. */
const ANCHORS = "Chatwoot ≈ 170 kB, Crisp ≈ 130 kB, Intercom ≈ 344 kB of JS";

/** Expands `dir/prefix-*.js`: a `*` in the file name only, as package.json uses it. */
function expand(pattern: string): string[] {
  const dir = join(root, dirname(pattern));
  const name = new RegExp(`^${basename(pattern).replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`);
  return readdirSync(dir)
    .filter((file) => name.test(file))
    .map((file) => join(dir, file));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Bytes on the wire: each file compressed on its own, as a server sends it. */
export function compressedSize(files: string[]): { brotli: number; gzip: number } {
  let brotli = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(file);
    brotli += brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { brotli, gzip };
}

/** size-limit's "1.5 kB" → 1500 bytes (it counts 1 kB as 1,000 bytes). */
function limitBytes(limit: string): number {
  const match = /^([\d.]+)\s*(B|kB|KB|MB)$/.exec(limit.trim());
  if (!match) throw new Error(`unreadable size-limit: ${limit}`);
  const unit = { B: 1, kB: 1000, KB: 1000, MB: 1_000_000 }[match[2] as "B" | "kB" | "KB" | "MB"];
  return Number(match[1]) * unit;
}

export function benchBundles(): Row[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    "size-limit": SizeLimitEntry[];
  };
  const rows: Row[] = pkg["size-limit"].map((entry) => {
    const files = [entry.path].flat().flatMap(expand);
    const size = compressedSize(files);
    const budget = limitBytes(entry.limit);
    return {
      section: "1. Bundles",
      measure: entry.name,
      value: `${kb(size.brotli)} br / ${kb(size.gzip)} gz`,
      ...(entry.name.startsWith("chat widget") ? { baseline: ANCHORS } : {}),
      goal: `budget ≤ ${entry.limit} br`,
      result: verdict(size.brotli <= budget, true),
    };
  });
  const consoleFiles = filesUnder(join(root, "dist/public/agent"));
  const consoleSize = compressedSize(consoleFiles);
  rows.push({
    section: "1. Bundles",
    measure: `agent console (${consoleFiles.map((file) => relative(join(root, "dist/public"), file).replace(/-[\w-]{8}\./, ".")).join(", ")})`,
    value: `${kb(consoleSize.brotli)} br / ${kb(consoleSize.gzip)} gz`,
  });
  return rows;
}
