/**
 * Numbers as training logs print them. Python writes `nan`, `inf`, `-inf` (f-strings and str()),
 * `NaN` / `Infinity` (json.dumps), numpy and pandas `NaN` / `-Infinity`; all are data, not errors.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = new Map<string, number>([
  ["nan", Number.NaN],
  ["+nan", Number.NaN],
  ["-nan", Number.NaN],
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);

/** The number a log wrote, or undefined when the text is not one (empty, garbage, `12abc`). */
export function parseLogNumber(text: string): number | undefined {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  return NON_FINITE.get(t.toLowerCase());
}

/** A regex source matching one printed number, including the non-finite spellings above. */
export const NUMBER_PATTERN = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf(?:inity)?)`;

/** True when the text is a non-negative integer as a step counter prints (no sign, point or exponent). */
export function isStepText(text: string): boolean {
  return /^\d+$/.test(text.trim());
}

/**
 * Seconds since the Unix epoch from a logged wall time: seconds (Python's time.time(), TensorBoard) or
 * milliseconds (JavaScript's Date.now()), told apart by size: 1e11 seconds is the year 5138, 1e11 ms 1973.
 */
export function toWallSeconds(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  return value > 1e11 ? value / 1000 : value;
}
