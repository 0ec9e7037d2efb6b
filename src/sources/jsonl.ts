import type { ScalarPoint } from "../types.ts";
import { addDiscSum } from "./disc-terms.ts";
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import { isStepText, parseLogNumber, toWallSeconds } from "./number-text.ts";
import type { ParseOutput, ReadNames, RunHints } from "./parser.ts";
import { SegmentCounter } from "./segments.ts";
import { canonicalTag } from "./tag-map.ts";

/**
 * JSON Lines of scalars, one object per step: `{"step": 10, "wall_time": 1.7e9, "loss_disc": 1.2, ...}`,
 * the trainer's own metrics.jsonl and what other scripts write the same way.
 *
 * - `step` (or `global_step`, `iteration`, `iter`, wandb's `_step`) is the step; a record without one
 *   continues from the previous step + 1. `epoch` is the epoch; `wall_time` (`wallTime`, `time`,
 *   `timestamp`, `_timestamp`) the wall time in seconds or milliseconds.
 * - Every other number is a tag, under its canonical name when it has one. Nested objects and arrays
 *   are flattened with `/` (`{"loss": {"d": 1}}` is `loss/d`, `"mode_counts": [3, 0]` is
 *   `mode_counts/0`, `mode_counts/1`). Booleans and other strings are not scalars and are ignored. An
 *   object of summary statistics (`{"num": 32, "mean": 0.69, "std": 0.1}`, StyleGAN2-ADA's stats.jsonl)
 *   is its mean, under the object's key.
 *
 * Non-finite values, decided: JSON has no NaN, so writers spell it three ways and all three are read as
 * data. The trainer writes the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; Python's json.dumps writes
 * the bare tokens `NaN`, `Infinity`, `-Infinity` (invalid JSON, accepted here); JavaScript's
 * JSON.stringify writes `null` for any of them, so `null` is read as NaN (the sign of an infinity is
 * lost, the fact that the number was not finite is kept). A line that is not a JSON object is a
 * problem with its line number; the lines after it are still read.
 */

const STEP_KEYS = ["step", "global_step", "iteration", "iter", "_step"];
const EPOCH_KEYS = ["epoch"];
const WALL_KEYS = ["wall_time", "wallTime", "time", "timestamp", "_timestamp"];

export class JsonlParser extends LineStreamParser {
  readonly format = "jsonl";
  private lastStep: number | undefined;
  private countedSteps = 0;
  private readonly segments = new SegmentCounter();
  private readonly stepKeys: string[];
  private readonly reserved: Set<string>;

  constructor(path: string, names: ReadNames = {}) {
    super(path);
    this.stepKeys = names.step === undefined ? STEP_KEYS : [names.step];
    this.reserved = new Set([...this.stepKeys, ...EPOCH_KEYS, ...WALL_KEYS]);
  }

  meta(): RunHints {
    const notes: string[] = [];
    if (this.countedSteps > 0)
      notes.push(`${this.countedSteps} record(s) without a step: numbered after the previous one`);
    if (this.segments.resumes > 0) notes.push(`the step went back ${this.segments.resumes} time(s)`);
    return { notes };
  }

  protected readLine({ text, line }: TextLine, out: ParseOutput): void {
    if (text.trim() === "") return;
    const record = parseJsonObject(text);
    if (typeof record === "string") {
      out.problems.push(this.problem(line, record));
      return;
    }
    const step = this.stepOf(record);
    if (step === undefined) {
      out.problems.push(
        this.problem(line, `step ${JSON.stringify(firstOf(record, this.stepKeys))} is not a number`),
      );
      return;
    }
    const base: Omit<ScalarPoint, "tag" | "sourceTag" | "value"> = {
      step,
      segment: this.segments.observe(step),
    };
    const epoch = numberOf(firstOf(record, EPOCH_KEYS));
    if (epoch !== undefined && Number.isFinite(epoch)) base.epoch = epoch;
    const wall = numberOf(firstOf(record, WALL_KEYS));
    const wallTime = wall === undefined ? undefined : toWallSeconds(wall);
    if (wallTime !== undefined) base.wallTime = wallTime;
    const rowStart = out.points.length;
    for (const [key, value] of Object.entries(record)) {
      if (!this.reserved.has(key))
        flatten(key, value, (sourceTag, v) =>
          out.points.push({ tag: canonicalTag(sourceTag), sourceTag, value: v, ...base }),
        );
    }
    addDiscSum(out.points, rowStart);
  }

  /** The record's step, the previous + 1 when it has none, undefined when it has one that is no number. */
  private stepOf(record: Record<string, unknown>): number | undefined {
    const raw = firstOf(record, this.stepKeys);
    let step: number | undefined;
    if (raw === undefined) {
      step = this.lastStep === undefined ? 0 : this.lastStep + 1;
      this.countedSteps++;
    } else {
      step =
        typeof raw === "number" ? raw : typeof raw === "string" && isStepText(raw) ? Number(raw) : undefined;
      if (step === undefined || !Number.isFinite(step)) return undefined;
    }
    this.lastStep = step;
    return step;
  }
}

/** The object on a line, or a message saying why there is none. */
export function parseJsonObject(text: string): Record<string, unknown> | string {
  const value = parseJsonValue(text);
  if (typeof value === "string") return value;
  if (value.value === null || typeof value.value !== "object" || Array.isArray(value.value))
    return "not a JSON object";
  return value.value as Record<string, unknown>;
}

/** Any JSON value, Python's bare NaN / Infinity allowed, or a message saying why the text is none. */
export function parseJsonValue(text: string): { value: unknown } | string {
  try {
    return { value: JSON.parse(text) };
  } catch {
    try {
      return { value: JSON.parse(quoteBareNonFinite(text)) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return `not JSON (${reason.slice(0, 120)})`;
    }
  }
}

/** Python's `NaN`, `Infinity`, `-Infinity` outside strings become the strings JSON can hold. */
function quoteBareNonFinite(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const token = ["-Infinity", "Infinity", "NaN"].find((t) => text.startsWith(t, i));
    if (token) {
      out += `"${token}"`;
      i += token.length - 1;
    } else out += c;
  }
  return out;
}

function firstOf(record: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (Object.hasOwn(record, k)) return record[k];
  return undefined;
}

/** A JSON value as a scalar: numbers, `null` (JSON.stringify's NaN), and the non-finite spellings. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value === null) return Number.NaN;
  if (typeof value !== "string") return undefined;
  const n = parseLogNumber(value);
  return n !== undefined && !Number.isFinite(n) ? n : undefined;
}

/** The keys of a statistic's summary (StyleGAN2-ADA's stats.jsonl: `{"num": 32, "mean": 0.69, "std": 0.1}`). */
const STAT_KEYS = new Set(["num", "mean", "std", "min", "max", "sum", "count"]);

function flatten(key: string, value: unknown, emit: (sourceTag: string, value: number) => void): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    // A summary of one quantity over a tick is that quantity: its mean, under its own name.
    const fields = Object.keys(value);
    if (Object.hasOwn(value, "mean") && fields.every((f) => STAT_KEYS.has(f))) {
      const mean = numberOf((value as Record<string, unknown>).mean);
      if (mean !== undefined) emit(key, mean);
      return;
    }
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(`${key}/${k}`, v, emit);
    return;
  }
  const n = numberOf(value);
  if (n !== undefined) emit(key, n);
}
