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
  // Most numbers in a log are plain decimals: read without the pattern and without Number()'s substring.
  if (scanDecimal(t, 0, t.length) === t.length) return scanned.value;
  if (DECIMAL.test(t)) return Number(t);
  return NON_FINITE.get(t.toLowerCase());
}

/** Powers of ten that doubles hold exactly (10^22 is the last). */
const EXACT_POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Significant digits that always fit a double's 53-bit integer exactly (10^15 < 2^53). */
const EXACT_DIGITS = 15;

/** What the last scanDecimal read (one number at a time: callers read `value` before scanning again). */
export const scanned = { value: 0 };

/**
 * Reads a plain decimal, DECIMAL's grammar (`4.107`, `-1e-05`, `.5`, `5.`), starting at `text[from]` and
 * going no further than `limit`, without a pattern or a substring. Returns the index after it (its value
 * in `scanned.value`), or -1 when no plain decimal starts there (`nan`, `1e`, `.`). What follows the
 * number is the caller's business: `1.5.3` reads `1.5` and returns the index of the second point.
 *
 * The value is exactly Number() of the text: with at most 15 significant digits and a power of ten of
 * at most 22 both operands are exact doubles, and one IEEE division or multiplication of exact operands
 * rounds correctly, as Number() does (Clinger's fast path). Anything else is handed to Number().
 */
export function scanDecimal(text: string, from: number, limit: number): number {
  let i = from;
  let c = i < limit ? text.charCodeAt(i) : -1;
  const negative = c === 45; // -
  if (negative || c === 43) c = ++i < limit ? text.charCodeAt(i) : -1; // +
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fractionDigits = 0;
  for (; c >= 48 && c <= 57; c = ++i < limit ? text.charCodeAt(i) : -1) {
    digits++;
    if (mantissa !== 0 || c !== 48) significant++;
    mantissa = mantissa * 10 + (c - 48);
  }
  if (c === 46) {
    for (
      c = ++i < limit ? text.charCodeAt(i) : -1;
      c >= 48 && c <= 57;
      c = ++i < limit ? text.charCodeAt(i) : -1
    ) {
      digits++;
      fractionDigits++;
      if (mantissa !== 0 || c !== 48) significant++;
      mantissa = mantissa * 10 + (c - 48);
    }
  }
  if (digits === 0) return -1;
  let exponent = 0;
  let exponentDigits = 0;
  if (c === 101 || c === 69) {
    // e / E
    let j = i + 1;
    let e = j < limit ? text.charCodeAt(j) : -1;
    const down = e === 45;
    if (down || e === 43) e = ++j < limit ? text.charCodeAt(j) : -1;
    for (; e >= 48 && e <= 57; e = ++j < limit ? text.charCodeAt(j) : -1) {
      exponentDigits++;
      exponent = exponent * 10 + (e - 48);
    }
    if (exponentDigits === 0) return -1;
    if (down) exponent = -exponent;
    i = j;
  }
  const power = exponent - fractionDigits;
  let value: number;
  if (significant <= EXACT_DIGITS && exponentDigits <= 4 && power >= -22 && power <= 22) {
    value = power < 0 ? mantissa / EXACT_POW10[-power] : mantissa * EXACT_POW10[power];
    if (negative) value = -value;
  } else {
    value = longNumber(text, from, i);
  }
  scanned.value = value;
  return i;
}

/** The characters and value of the last number Number() had to read (see longNumber). */
const lastLong = new Uint16Array(64);
let lastLongLength = -1;
let lastLongValue = 0;

/**
 * Number() of `text.slice(from, to)`, remembering the last one: a learning rate of 16 or 17 significant
 * digits (`9.997500156250001e-05`, as Python prints it) is logged again at every step of its epoch,
 * and comparing its characters costs a fraction of cutting and converting them.
 */
function longNumber(text: string, from: number, to: number): number {
  const length = to - from;
  if (length === lastLongLength) {
    let k = 0;
    while (k < length && text.charCodeAt(from + k) === lastLong[k]) k++;
    if (k === length) return lastLongValue;
  }
  const value = Number(text.slice(from, to));
  if (length <= lastLong.length) {
    for (let k = 0; k < length; k++) lastLong[k] = text.charCodeAt(from + k);
    lastLongLength = length;
    lastLongValue = value;
  }
  return value;
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
