/** One line of the benchmark table. */
export type Row = {
  section: string;
  measure: string;
  /** Parley's figure. */
  value: string;
  /** The baseline's figure measured in the same run, or a published anchor. */
  baseline?: string;
  goal?: string;
  /**
   * PASS or MISS against a goal; FAIL when a budget is broken, which makes `npm run bench`
   * exit non-zero.
   */
  result?: "PASS" | "MISS" | "FAIL";
};

/** PASS, or MISS for a goal, or FAIL for a budget. */
export function verdict(ok: boolean, budget: boolean): Row["result"] {
  if (ok) return "PASS";
  return budget ? "FAIL" : "MISS";
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} ms` : "n/a";
}

export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Formats rows as a Markdown table, so the README can show the output as printed. */
export function formatTable(rows: Row[]): string {
  const header = ["Section", "Measure", "Parley", "Baseline / anchor", "Goal", "Result"];
  const cells = rows.map((row) => [
    row.section,
    row.measure,
    row.value,
    row.baseline ?? "",
    row.goal ?? "",
    row.result ?? "",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] as string).length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column] as number)).join(" | ")} |`;
  return [
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...cells.map((values) => line(values)),
  ].join("\n");
}
