/**
 * The axes' rules, for the dashboard (uPlot) and the HTML report's SVG charts alike: where the ticks go,
 * how they are written, and which y range a chart shows. Plain JavaScript so the page runs it as it is;
 * src/report/svg-chart.ts imports the same file, so a chart reads the same in both.
 *
 * - Ticks are round numbers (1, 2 or 5 × 10^k apart); counts and step numbers never get a fractional
 *   tick (a run of one or two steps is not drawn on "0.1 0.2 0.3").
 * - Labels carry exactly the digits their spacing needs, so neighbours never read the same: a learning
 *   rate's axis reads "1e-4 1.5e-4 2e-4", never "0 0 0"; tiny and huge magnitudes are written in
 *   scientific notation as configs write them ("2e-4"), everything else in plain decimals.
 * - The y range holds the data and the reference lines (the equilibrium), with room around them, so a
 *   line is never left outside the picture with half its label showing.
 */

/** Below this magnitude (every tick) or from this one on, labels are scientific: 2e-4, 1.5e6. */
const SMALL = 1e-2;
const LARGE = 1e6;

/**
 * Round-number ticks inside [lo, hi]: about `count` of them, and at least 3 when the range allows
 * (a short plot asked for 4 may otherwise get 2, too few to read a scale from).
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 * @param {boolean} [integer] whole numbers only (counts, steps): the spacing is at least 1
 * @returns {number[]}
 */
export function niceTicks(lo, hi, count, integer = false) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return integer && !Number.isInteger(lo) ? [] : [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  while (ticksAt(lo, hi, step).length < 3 && !(integer && step <= 1)) step = smallerStep(step);
  return ticksAt(lo, hi, step);
}

/** @param {number} lo @param {number} hi @param {number} step */
function ticksAt(lo, hi, step) {
  const out = [];
  // A hair of tolerance: a range that ends a rounding error inside a round number keeps its tick.
  const first = Math.ceil(lo / step - 1e-6);
  const last = Math.floor(hi / step + 1e-6);
  for (let k = first; k <= last; k++) out.push(clean(k * step));
  return out;
}

/** The next round spacing down: 5 -> 2 -> 1 -> 0.5 (× 10^k). @param {number} step */
function smallerStep(step) {
  const mag = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const m = Math.round(step / mag);
  return clean(m === 5 ? 2 * mag : m === 2 ? mag : 0.5 * mag);
}

/**
 * The ticks as text, each with the digits the spacing needs (the spacing is read off the ticks).
 * @param {number[]} ticks in increasing order
 * @returns {string[]}
 */
export function tickLabels(ticks) {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ticks.length; i++) step = Math.min(step, Math.abs(ticks[i] - ticks[i - 1]));
  if (!Number.isFinite(step) || step === 0) step = 0;
  let big = 0;
  for (const t of ticks) if (Number.isFinite(t)) big = Math.max(big, Math.abs(t));
  const scientific = big >= LARGE || (big > 0 && big < SMALL);
  return ticks.map((t) => (scientific ? sciLabel(t, step) : fixedLabel(t, step)));
}

/**
 * The y range a chart shows: the data's and every reference line's, padded by `pad` of the span on
 * each side; a flat series gets a tenth of its size each side (a constant learning rate 1e-3 is shown
 * on 9e-4 … 1.1e-3, not on an axis of one repeated label).
 * @param {number} lo the data's minimum
 * @param {number} hi the data's maximum
 * @param {number[]} [refs] reference lines that must be inside
 * @param {number} [pad]
 * @returns {[number, number]}
 */
export function yRange(lo, hi, refs = [], pad = 0.06) {
  const all = [lo, hi, ...refs].filter(Number.isFinite);
  if (all.length === 0) return [0, 1];
  let a = Math.min(...all);
  let b = Math.max(...all);
  if (a === b) {
    const d = Math.abs(a) * 0.1 || 1;
    return [a - d, b + d];
  }
  const p = (b - a) * pad;
  a -= p;
  b += p;
  return [a, b];
}

/**
 * True when every finite value is a whole number and one is (a count: modes covered, samples): such
 * series are drawn as steps, never smoothed into 7.25, and get whole-number ticks.
 * @param {ArrayLike<number>} values
 * @param {number} n values to read
 */
export function isCount(values, n) {
  const r = wholeNumbers(values, 0, n);
  return r.whole && r.finite > 0;
}

/**
 * values[from, to): how many are finite, and whether all of those are whole numbers. Series that grow
 * live scan only their new points and combine the answers.
 * @param {ArrayLike<number>} values
 * @param {number} from
 * @param {number} to
 */
export function wholeNumbers(values, from, to) {
  let finite = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) return { finite: finite + 1, whole: false };
    finite++;
  }
  return { finite, whole: true };
}

/** @param {number} t @param {number} step */
function fixedLabel(t, step) {
  const decimals = step > 0 ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 3;
  const s = decimals === 0 ? t.toFixed(0) : t.toFixed(decimals).replace(/\.?0+$/, "");
  return s === "-0" ? "0" : s;
}

/** @param {number} t @param {number} step */
function sciLabel(t, step) {
  if (t === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(t)) + 1e-12);
  const digits = step > 0 ? Math.max(1, exponent - Math.floor(Math.log10(step) + 1e-9) + 1) : 3;
  const [mantissa, e] = t.toExponential(Math.min(20, digits - 1)).split("e");
  const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${m}e${Number(e)}`;
}

/** k × step without the binary fraction's tail (3 × 0.1 = 0.30000000000000004). @param {number} x */
function clean(x) {
  return Number(x.toPrecision(12));
}
