import type { ScalarPoint } from "../types.ts";
import { gameTag } from "./console/games.ts";
import { detectSeparator, type Separator, splitFields } from "./csv-fields.ts";
import { addDiscSum } from "./disc-terms.ts";
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import { parseLogNumber, toWallSeconds } from "./number-text.ts";
import type { ParseOutput, ReadNames, RunHints } from "./parser.ts";
import { SegmentCounter } from "./segments.ts";
import { canonicalTag, tensorboardTag } from "./tag-map.ts";

/**
 * CSV of scalars: a header row naming the columns, then one row per step. One column is the step
 * (`step`, `Step`, `global_step`, `iteration`, wandb's `_step`, ...), optional ones the wall time and
 * the epoch, and every other named column is a tag (mapped to its canonical name when it has one).
 *
 * TensorBoard's "download CSV" is `Wall time,Step,Value` for one tag, the tag only in the file name
 * (`run-<run>-tag-<tag>.csv`, `/` written as `_`): its Value column is named from the file name.
 * An unnamed column (pandas' index) is skipped. Empty cells are "not logged at this step" and give no
 * point; `NaN`, `inf`, `-Infinity` are values. A row with the wrong number of fields, an open quote or
 * no readable step is reported with its line number and skipped; a non-numeric cell is reported once
 * per column and skipped (a text column would otherwise report every row).
 *
 * The experiment trackers' tables are read as their users have them: PyTorch Lightning's CSVLogger
 * (`metrics.csv`, sparse: each row fills only the columns logged at that step), Keras' CSVLogger
 * (`epoch` and one column per metric: the epoch is the step), and a Weights & Biases chart export
 * (`Step`, then `<run> - <metric>` with `__MIN` / `__MAX` companions, which are the chart's shading for
 * grouped runs, not values: left out). Several runs in one W&B export are several games, one run each.
 */

const STEP_NAMES = new Set([
  "step",
  "steps",
  "global_step",
  "globalstep",
  "iteration",
  "iter",
  "it",
  "_step",
]);
const WALL_NAMES = new Set([
  "wall time",
  "wall_time",
  "walltime",
  "wall-time",
  "timestamp",
  "_timestamp",
  "time",
]);
const EPOCH_NAMES = new Set(["epoch"]);

interface Columns {
  separator: Separator;
  headerText: string;
  count: number;
  step?: number;
  wall?: number;
  epoch?: number;
  /** Column index -> [tag, sourceTag]. */
  tags: Map<number, [string, string]>;
}

export class CsvParser extends LineStreamParser {
  readonly format = "csv";
  private columns: Columns | undefined;
  private rows = 0;
  private readonly segments = new SegmentCounter();
  private readonly badCells = new Map<string, number>();
  private readonly notes: string[] = [];

  constructor(
    path: string,
    private readonly names: ReadNames = {},
  ) {
    super(path);
  }

  meta(): RunHints {
    const notes = [...this.notes];
    for (const [name, n] of this.badCells) notes.push(`column ${name}: ${n} non-numeric cell(s) skipped`);
    if (this.segments.resumes > 0) notes.push(`the step column went back ${this.segments.resumes} time(s)`);
    return { notes };
  }

  protected readLine({ text, line }: TextLine, out: ParseOutput): void {
    if (text.trim() === "") return;
    if (!this.columns) {
      this.columns = this.readHeader(text, line, out);
      if (this.columns.headerText !== "") return;
    }
    const cols = this.columns;
    if (text === cols.headerText) return; // a second header: files concatenated
    const fields = splitFields(text, cols.separator);
    if (!fields) {
      out.problems.push(this.problem(line, "unclosed quote; row skipped"));
      return;
    }
    while (fields.length > cols.count && fields.at(-1)!.trim() === "") fields.pop();
    if (fields.length !== cols.count) {
      out.problems.push(
        this.problem(line, `row has ${fields.length} fields, the header ${cols.count}; skipped`),
      );
      return;
    }
    const step = cols.step === undefined ? this.rows : parseLogNumber(fields[cols.step]);
    if (step === undefined || !Number.isFinite(step)) {
      out.problems.push(this.problem(line, `step '${fields[cols.step!]}' is not a number; row skipped`));
      return;
    }
    this.rows++;
    const rowStart = out.points.length;
    const segment = this.segments.observe(step);
    const base: Omit<ScalarPoint, "tag" | "sourceTag" | "value"> = { step, segment };
    const epoch = cols.epoch === undefined ? undefined : parseLogNumber(fields[cols.epoch]);
    if (epoch !== undefined && Number.isFinite(epoch)) base.epoch = epoch;
    const wallTime = cols.wall === undefined ? undefined : parseWallTime(fields[cols.wall]);
    if (wallTime !== undefined) base.wallTime = wallTime;
    for (const [index, [tag, sourceTag]] of cols.tags) {
      const cell = fields[index].trim();
      if (cell === "") continue;
      const value = parseLogNumber(cell) ?? tensorCell(cell);
      if (value !== undefined) {
        out.points.push({ tag, sourceTag, value, ...base });
        continue;
      }
      const seen = this.badCells.get(sourceTag) ?? 0;
      if (seen === 0) out.problems.push(this.problem(line, `column ${sourceTag}: '${cell}' is not a number`));
      this.badCells.set(sourceTag, seen + 1);
    }
    addDiscSum(out.points, rowStart);
  }

  /** The columns from the header line; a first line of numbers is data, with the columns numbered. */
  private readHeader(text: string, line: number, out: ParseOutput): Columns {
    const separator = detectSeparator(text);
    const names = (splitFields(text, separator) ?? text.split(separator)).map((n) => n.trim());
    if (names.every((n) => parseLogNumber(n) !== undefined)) {
      out.problems.push(
        this.problem(line, "the first line is numbers, not a header: columns named column_1.."),
      );
      // A file of one quantity (`d_loss.txt`) names its first column: a script that writes a loss per
      // line to a file named after it has said what the numbers are.
      const stem = tagFromFileName(this.path);
      const named = canonicalName(stem) !== stem;
      this.notes.push(
        named
          ? `no header: the first column is ${stem}, named from the file name; the others column_2..; steps are row numbers`
          : "no header: tags are column_1.., steps are row numbers",
      );
      const tags = new Map<number, [string, string]>(
        names.map((_, i) => {
          const name = named && i === 0 ? stem : `column_${i + 1}`;
          return [i, [canonicalName(name), name]];
        }),
      );
      return { separator, headerText: "", count: names.length, tags };
    }
    const cols: Columns = { separator, headerText: text, count: names.length, tags: new Map() };
    const lower = names.map((n) => n.toLowerCase());
    const named = this.names.step === undefined ? -1 : names.indexOf(this.names.step);
    cols.step = named >= 0 ? named : indexOf(lower, STEP_NAMES);
    cols.wall = indexOf(lower, WALL_NAMES);
    cols.epoch = indexOf(lower, EPOCH_NAMES);
    if (cols.step === undefined && cols.epoch !== undefined) {
      // Keras' CSVLogger: one row per epoch, and the epoch is the only position there is.
      cols.step = cols.epoch;
      this.notes.push("no step column: the epoch is the step");
    } else if (cols.step === undefined) this.notes.push("no step column: steps are row numbers");
    const wandb = wandbColumns(names);
    const valueColumns = names
      .map((_, i) => i)
      .filter((i) => ![cols.step, cols.wall, cols.epoch].includes(i));
    for (const i of valueColumns) {
      if (names[i] === "") continue;
      const soleValue = valueColumns.length === 1 && lower[i] === "value";
      const sourceTag = soleValue ? tagFromFileName(this.path) : names[i];
      const exported = wandb?.get(i);
      if (exported === null) continue; // a W&B __MIN / __MAX shading column
      const tag = exported
        ? gameTag(canonicalName(exported.metric), exported.game)
        : canonicalName(sourceTag);
      cols.tags.set(i, [tag, sourceTag]);
      if (soleValue)
        this.notes.push(`one-tag export: the Value column is ${sourceTag}, named from the file name`);
    }
    if (wandb) {
      const runs = new Set([...wandb.values()].flatMap((c) => (c ? [c.run] : [])));
      this.notes.push(`Weights & Biases export of ${[...runs].join(", ")}; __MIN / __MAX columns left out`);
    }
    return cols;
  }
}

/**
 * A W&B chart export's columns: index -> its run and metric, or null for a `__MIN` / `__MAX` column;
 * undefined when the header is not such an export. With several runs, each run is a game of its own.
 */
function wandbColumns(
  names: string[],
): Map<number, { run: string; metric: string; game: string } | null> | undefined {
  const parsed = names.map((n) => /^(.+?) - (.+?)(__MIN|__MAX)?$/.exec(n));
  if (!parsed.some((m) => m?.[3] !== undefined)) return undefined;
  const runs = new Set(parsed.flatMap((m) => (m && !m[3] ? [m[1]] : [])));
  const out = new Map<number, { run: string; metric: string; game: string } | null>();
  parsed.forEach((m, i) => {
    if (m) out.set(i, m[3] ? null : { run: m[1], metric: m[2], game: runs.size > 1 ? m[1] : "" });
  });
  return out;
}

/** A cell holding a scalar's repr: `tensor(10.5290, grad_fn=<...>)` (a PyTorch tensor saved with pandas). */
function tensorCell(cell: string): number | undefined {
  const m = /^(?:tensor|array|tf\.Tensor)\(\s*([^,\s)]+)/.exec(cell);
  return m ? parseLogNumber(m[1]) : undefined;
}

function indexOf(names: string[], wanted: Set<string>): number | undefined {
  const i = names.findIndex((n) => wanted.has(n));
  return i < 0 ? undefined : i;
}

/** Seconds since the epoch from seconds, milliseconds (too large to be seconds) or a date string. */
function parseWallTime(cell: string): number | undefined {
  const n = parseLogNumber(cell);
  if (n !== undefined) return toWallSeconds(n);
  const ms = Date.parse(cell.trim());
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** TensorBoard names its one-tag export `run-<run>-tag-<tag>.csv`; otherwise the file's own name. */
export function tagFromFileName(path: string): string {
  const base = path.split(/[\\/]/).at(-1) ?? "";
  const stem = base.replace(/\.(csv|tsv|txt)$/i, "");
  const afterTag = stem.lastIndexOf("-tag-");
  const name = afterTag >= 0 ? stem.slice(afterTag + 5) : stem;
  return name === "" || name === "-" ? "value" : name;
}

/**
 * The canonical tag for a column or file name. TensorBoard's export wrote `/` as `_`, so when the name
 * itself has no canonical form the slashed spelling is tried (`loss_d_total` -> `loss/d/total`).
 */
function canonicalName(name: string): string {
  const direct = canonicalTag(name);
  if (direct !== name) return direct;
  return tensorboardTag(name.replaceAll("_", "/")) ?? name;
}
