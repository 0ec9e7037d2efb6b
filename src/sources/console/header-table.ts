/**
 * Tables in console logs: a header row of names, then rows of numbers under them.
 *
 *   D_loss       acc     G_loss                  Epoch | D_loss | acc | G_loss
 *   0.004051 | 100 | 6.248324 | 2 days, ...      1 | 0.5 | 60% | 0.8
 *
 * The header is two or more names, one of them D's or G's loss, or a first column of row labels and
 * loss columns (`component | loss | generation_loss`, the Keras ACGAN example, whose rows are
 * `generator (train) | 8.35 | ...`). Header and rows may be split differently (pipes, tabs, runs of
 * spaces); cells past the last name (a timer) are left.
 */
import { parseLogNumber } from "../number-text.ts";
import type { Pair } from "./line-pairs.ts";

export interface HeaderTable {
  names: string[];
}

export interface TableRow {
  pairs: Pair[];
  /** The row starts with a label: its pairs are `<label> <name>` (`generator (train) loss`). */
  labelled: boolean;
}

const trimBars = (s: string) => s.trim().replace(/^\|/, "").replace(/\|$/, "");
/** Ways a line splits into cells, most specific first; the last (single spaces) only for rows of numbers. */
const SPLITTERS: ((text: string) => string[])[] = [
  (t) =>
    t.includes("|")
      ? trimBars(t)
          .split("|")
          .map((c) => c.trim())
      : [],
  (t) =>
    t.includes("\t")
      ? t
          .trim()
          .split(/\t+/)
          .map((c) => c.trim())
      : [],
  (t) => t.trim().split(/\s{2,}/),
  (t) => t.trim().split(/\s+/),
];

/** The header on this line, or undefined. `isLossKey` says whether a name is D's or G's loss. */
export function readHeader(text: string, isLossKey: (name: string) => boolean): HeaderTable | undefined {
  if (/\d/.test(text.replace(/[A-Za-z_]\w*/g, ""))) return undefined;
  for (const split of SPLITTERS) {
    const names = split(text);
    if (names.length < 2) continue;
    const labelledLosses = split !== SPLITTERS[3] && names.slice(1).some((n) => /loss/i.test(n));
    if (names.some(isLossKey) || labelledLosses) return { names };
  }
  return undefined;
}

/** A row of the table, "rule" for a line of dashes under the header, undefined for any other line. */
export function readRow(table: HeaderTable, text: string): TableRow | "rule" | undefined {
  if (/^[\s|:+=-]+$/.test(text)) return "rule";
  for (const split of SPLITTERS) {
    const cells = split(text);
    if (cells.length < table.names.length) continue;
    const labelled = parseLogNumber(cells[0]) === undefined;
    const from = labelled ? 1 : 0;
    const values = cells.slice(from, table.names.length).map((c) => parseLogNumber(c.replace(/%$/, "")));
    if (values.length === 0 || values.some((v) => v === undefined)) continue;
    const names = labelled ? table.names.slice(1).map((n) => `${cells[0]} ${n}`) : table.names;
    const pairs = names.map((key, i) => ({ key, value: values[i]!, percent: cells[i + from].endsWith("%") }));
    return { pairs, labelled };
  }
  return undefined;
}
