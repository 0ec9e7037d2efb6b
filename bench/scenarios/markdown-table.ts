/** Small helpers for the suite's markdown: a table from rows, and numbers formatted for reading. */

/**
 * A markdown table laid out the way the project's formatter (biome) writes one: every column padded to
 * its widest cell, the separator dashes as wide as the column, so the generated report passes
 * `biome check` unchanged.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escaped = [header, ...rows].map((r) => r.map((c) => c.replaceAll("|", "\\|")));
  const widths = header.map((_, i) => Math.max(3, ...escaped.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? "") + " ".repeat(w - [...(cells[i] ?? "")].length)).join(" | ")} |`;
  const [head, ...body] = escaped;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** A fraction as a percentage; "n/a" when undefined (NaN). */
export function pct(x: number, digits = 0): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a";
}

export function num(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

export function int(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x)) : "n/a";
}
