/**
 * A user's own 2D points from a two-column text table, and the dataset that resamples them.
 *
 * Format: one point per line, two numbers; separator `,`, `;`, tab or spaces, the same for the whole
 * file (taken from the first data row: `;` wins over `,`, so "1,5;2,5" reads as the decimal-comma pair
 * (1.5, 2.5), the way spreadsheets in comma-decimal locales write CSV). A first row without any number
 * is a header. Blank lines and lines starting with `#` are skipped; a leading byte-order mark
 * is ignored. Any other bad row is an error naming its line: a points file with a hole in it would
 * silently train on something else than the user meant.
 */

import type { Rng } from "../rng.ts";
import { type Box, type Dataset, pointBuffer } from "./dataset.ts";
import { DatasetError } from "./dataset-error.ts";

const MIN_POINTS = 2;
/** A plain decimal number: no hex, no empty string, no "Infinity" (Number() accepts all three). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Separator = ";" | "," | "\t" | " ";

/** The points of a two-column table as interleaved [x0, y0, x1, y1, ...]. */
export function parsePointsCsv(text: string): Float32Array {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const values: number[] = [];
  let separator: Separator | undefined;
  let sawFirstRow = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const lineNo = i + 1;
    // The first data row fixes the separator (a header may use another, e.g. "x y" over "1,2").
    const rowSeparator = separator ?? separatorOf(line);
    const fields = splitRow(line, rowSeparator);
    const numbers = fields.map((f) => parseNumber(f, rowSeparator));
    const isFirstRow = !sawFirstRow;
    sawFirstRow = true;
    // A header has no number at all; "1,abc" as a first row is a broken point, not a header.
    if (isFirstRow && numbers.every((v) => v === undefined)) continue;
    separator = rowSeparator;
    if (numbers.some((v) => v === undefined)) {
      throw new DatasetError(
        "data",
        {
          en: `line ${lineNo}: expected two numbers, got "${clip(line)}"`,
          zh: `第 ${lineNo} 行：应为两个数，实际为 "${clip(line)}"`,
        },
        lineNo,
      );
    }
    if (fields.length !== 2) {
      throw new DatasetError(
        "data",
        {
          en: `line ${lineNo}: expected 2 columns (x, y), found ${fields.length} in "${clip(line)}"`,
          zh: `第 ${lineNo} 行：应为 2 列 (x, y)，在 "${clip(line)}" 中找到 ${fields.length} 列`,
        },
        lineNo,
      );
    }
    values.push(numbers[0]!, numbers[1]!);
  }
  if (values.length < 2 * MIN_POINTS) {
    throw new DatasetError("data", {
      en: `a points file needs at least ${MIN_POINTS} points (rows of x, y), found ${values.length / 2}`,
      zh: `点文件至少需要 ${MIN_POINTS} 个点（x, y 行），只找到 ${values.length / 2} 个`,
    });
  }
  return Float32Array.from(values);
}

export interface PointsDatasetOptions {
  /**
   * Std of Gaussian noise added to every drawn point, in data units; default 0. Sampling is otherwise a
   * plain bootstrap (rows uniformly, with replacement), so the dataset is exactly the user's empirical
   * distribution: a default jitter would quietly change their data. GAN Lab adds σ = 0.02 of its unit
   * box to drawn points; ask for the same here when the points are few and a smooth density is wanted.
   */
  jitter?: number;
  name?: string;
}

/** Parse a two-column table (see the file comment) into a dataset that resamples its rows. */
export function loadPointsCsv(text: string, options: PointsDatasetOptions = {}): Dataset {
  return pointsDataset(parsePointsCsv(text), options);
}

export function pointsDataset(points: Float32Array, options: PointsDatasetOptions = {}): Dataset {
  const jitter = options.jitter ?? 0;
  if (!(jitter >= 0 && Number.isFinite(jitter))) {
    throw new DatasetError("usage", `jitter must be a finite number ≥ 0, got ${jitter}`);
  }
  const rows = points.length >> 1;
  if (points.length % 2 !== 0 || rows < MIN_POINTS) {
    throw new DatasetError("data", `a points dataset needs at least ${MIN_POINTS} (x, y) pairs`);
  }
  const data = Float32Array.from(points); // a private copy: later edits by the caller change nothing
  return Object.freeze({
    name: options.name ?? "csv",
    description: `${rows} points from a file, drawn uniformly with replacement${jitter > 0 ? `, jitter std ${jitter}` : ""}`,
    box: boundingBox(data, jitter),
    sample(n: number, rng: Rng, out?: Float32Array): Float32Array {
      const xy = pointBuffer(n, out);
      for (let i = 0; i < n; i++) {
        const row = rng.int(rows);
        xy[2 * i] = data[2 * row];
        xy[2 * i + 1] = data[2 * row + 1];
        if (jitter > 0) {
          xy[2 * i] += jitter * rng.normal();
          xy[2 * i + 1] += jitter * rng.normal();
        }
      }
      return xy;
    },
  });
}

/**
 * The points' extent widened on every side by 10% of the larger range plus 3 jitter stds, so points sit
 * inside the plot and the JSD grid; a unit margin when all points coincide.
 */
function boundingBox(xy: Float32Array, jitter: number): Box {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    xMin = Math.min(xMin, xy[i]);
    xMax = Math.max(xMax, xy[i]);
    yMin = Math.min(yMin, xy[i + 1]);
    yMax = Math.max(yMax, xy[i + 1]);
  }
  const range = Math.max(xMax - xMin, yMax - yMin);
  const margin = (range > 0 ? 0.1 * range : 1) + 3 * jitter;
  return Object.freeze({
    xMin: xMin - margin,
    xMax: xMax + margin,
    yMin: yMin - margin,
    yMax: yMax + margin,
  });
}

function separatorOf(line: string): Separator {
  if (line.includes(";")) return ";";
  if (line.includes(",")) return ",";
  if (line.includes("\t")) return "\t";
  return " ";
}

function splitRow(line: string, separator: Separator): string[] {
  const fields = separator === " " ? line.split(/\s+/) : line.split(separator);
  return fields.map((f) => f.trim());
}

function parseNumber(field: string, separator: Separator): number | undefined {
  const text = separator === ";" ? field.replace(",", ".") : field;
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  // Float32 holds ±3.4e38: a larger value would become Infinity in the array, so refuse it here.
  return Math.abs(value) <= 3.4e38 ? value : undefined;
}

function clip(line: string): string {
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
