/**
 * One run as the page holds it: every series as typed columns that grow as points arrive, their
 * smoothed values (kept up to date incrementally), and the x values for each axis mode: step, epoch
 * (the series' own, or read off a series of the run that logs epochs) and time (seconds since the
 * run's first logged wall time).
 */
import { num } from "./api.js";
import { wholeNumbers } from "./axis.js";
import { lowerBound } from "./decimate.js";
import { Smoother } from "./smooth.js";

/** @typedef {"step" | "epoch" | "time"} AxisMode */

export class SeriesData {
  /**
   * @param {string} tag
   * @param {string} sourceTag
   * @param {number} n
   * @param {Float64Array} steps
   * @param {Float64Array} values
   * @param {Float64Array | undefined} wallTimes
   * @param {Float64Array | undefined} epochs
   */
  constructor(tag, sourceTag, n, steps, values, wallTimes, epochs) {
    this.tag = tag;
    this.sourceTag = sourceTag;
    this.n = n;
    this.steps = steps;
    this.values = values;
    this.wallTimes = wallTimes;
    this.epochs = epochs;
    /** @type {Float64Array} */
    this.smoothed = new Float64Array(steps.length);
    this.smoother = new Smoother(0);
    /** @type {Map<AxisMode, { n: number, xs: Float64Array }>} */
    this.xCache = new Map();
    /** Whole-number check so far (isCount): points read, finite ones among them, all whole. */
    this.whole = { read: 0, finite: 0, whole: true };
  }

  /** Every finite value so far a whole number (a count: drawn as steps, unsmoothed). */
  isCount() {
    const w = this.whole;
    if (w.read < this.n && w.whole) {
      const r = wholeNumbers(this.values, w.read, this.n);
      w.finite += r.finite;
      w.whole = r.whole;
    }
    w.read = this.n;
    return w.whole && w.finite > 0;
  }

  /** @param {import("./api.js").PointsGroup} g */
  append(g) {
    const k = g.steps.length;
    if (this.n + k > this.steps.length) this.grow(Math.max(2 * this.steps.length, this.n + k, 64));
    if (g.wallTimes && !this.wallTimes) this.wallTimes = new Float64Array(this.steps.length).fill(Number.NaN);
    if (g.epochs && !this.epochs) this.epochs = new Float64Array(this.steps.length).fill(Number.NaN);
    for (let i = 0; i < k; i++) {
      const at = this.n + i;
      this.steps[at] = num(g.steps[i]);
      this.values[at] = num(g.values[i]);
      if (this.wallTimes) this.wallTimes[at] = g.wallTimes ? num(g.wallTimes[i]) : Number.NaN;
      if (this.epochs) this.epochs[at] = g.epochs ? num(g.epochs[i]) : Number.NaN;
    }
    this.n += k;
  }

  /** The smoothed values at `weight`, brought up to date. @param {number} weight */
  smoothedValues(weight) {
    if (this.smoother.weight !== weight) this.smoother = new Smoother(weight);
    if (this.smoothed.length < this.steps.length) {
      const bigger = new Float64Array(this.steps.length);
      bigger.set(this.smoothed.subarray(0, this.smoother.done));
      this.smoothed = bigger;
    }
    this.smoother.extend(this.values, this.smoothed, this.n);
    return this.smoothed;
  }

  /** @param {number} size */
  grow(size) {
    /** @param {Float64Array} a */
    const bigger = (a) => {
      const b = new Float64Array(size).fill(Number.NaN);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.steps = bigger(this.steps);
    this.values = bigger(this.values);
    if (this.wallTimes) this.wallTimes = bigger(this.wallTimes);
    if (this.epochs) this.epochs = bigger(this.epochs);
    this.xCache.clear();
  }
}

export class RunData {
  /**
   * @param {import("./api.js").RunInfo} info
   * @param {import("./api.js").LoadedColumns} loaded
   */
  constructor(info, loaded) {
    this.info = info;
    this.seq = loaded.seq;
    /** @type {SeriesData[]} */
    this.series = loaded.series.map(
      (s) => new SeriesData(s.tag, s.sourceTag, s.n, s.steps, s.values, s.wallTimes, s.epochs),
    );
  }

  get key() {
    return this.info.key;
  }

  /**
   * Appends a `points` update. "gap" when an update was missed (the run must be loaded again),
   * "stale" when the columns already held it.
   * @param {{ seq: number, series: import("./api.js").PointsGroup[] }} u
   * @returns {"ok" | "gap" | "stale"}
   */
  apply(u) {
    if (u.seq <= this.seq) return "stale";
    if (u.seq !== this.seq + 1) return "gap";
    for (const g of u.series) {
      let s = this.series.find((x) => x.tag === g.tag && x.sourceTag === g.sourceTag);
      if (!s) {
        const empty = () => new Float64Array(64);
        s = new SeriesData(g.tag, g.sourceTag, 0, empty(), empty(), undefined, undefined);
        this.series.push(s);
      }
      s.append(g);
    }
    this.seq = u.seq;
    return "ok";
  }

  /** The first series with this tag. @param {string} tag */
  byTag(tag) {
    return this.series.find((s) => s.tag === tag);
  }

  /** Whether this axis mode can be drawn for the run. @param {AxisMode} mode */
  hasAxis(mode) {
    if (mode === "step") return true;
    if (mode === "epoch") return this.series.some((s) => s.epochs);
    return this.series.some((s) => s.wallTimes);
  }

  /** The run's first wall time (the zero of the time axis). */
  get t0() {
    let t0 = Number.POSITIVE_INFINITY;
    for (const s of this.series) {
      if (!s.wallTimes) continue;
      for (let i = 0; i < s.n; i++) {
        const w = s.wallTimes[i];
        if (Number.isFinite(w)) {
          if (w < t0) t0 = w;
          break;
        }
      }
    }
    return Number.isFinite(t0) ? t0 : 0;
  }

  /**
   * A series' x values in `mode` (NaN where unknown); cached and extended as points arrive.
   * @param {SeriesData} s
   * @param {AxisMode} mode
   */
  xs(s, mode) {
    if (mode === "step") return s.steps;
    let c = s.xCache.get(mode);
    if (!c || c.xs.length !== s.steps.length) {
      c = { n: 0, xs: new Float64Array(s.steps.length) };
      s.xCache.set(mode, c);
    }
    if (c.n < s.n) {
      if (mode === "time") {
        const t0 = this.t0;
        const ref = s.wallTimes ? undefined : this.reference("wallTimes");
        for (let i = c.n; i < s.n; i++) c.xs[i] = this.at(s, ref, "wallTimes", s.steps[i], i) - t0;
      } else {
        const ref = s.epochs ? undefined : this.reference("epochs");
        for (let i = c.n; i < s.n; i++) c.xs[i] = this.at(s, ref, "epochs", s.steps[i], i);
      }
      c.n = s.n;
    }
    return c.xs;
  }

  /**
   * Step -> x in `mode`, for the band and markers (which the monitor and controller give in steps).
   * @param {number} step
   * @param {AxisMode} mode
   */
  stepToX(step, mode) {
    if (mode === "step") return step;
    const column = mode === "time" ? "wallTimes" : "epochs";
    const ref = this.reference(column);
    if (!ref) return Number.NaN;
    const v = valueAtStep(ref, column, step);
    return mode === "time" ? v - this.t0 : v;
  }

  /**
   * The column's value for point i of s, or read off the reference series at the same step.
   * @param {SeriesData} s
   * @param {SeriesData | undefined} ref
   * @param {"wallTimes" | "epochs"} column
   * @param {number} step
   * @param {number} i
   */
  at(s, ref, column, step, i) {
    const own = s[column];
    if (own) return own[i];
    return ref ? valueAtStep(ref, column, step) : Number.NaN;
  }

  /** The series with the most points that has this column. @param {"wallTimes" | "epochs"} column */
  reference(column) {
    /** @type {SeriesData | undefined} */
    let best;
    for (const s of this.series) if (s[column] && (!best || s.n > best.n)) best = s;
    return best;
  }
}

/**
 * The column's value at the last point of `ref` at or before `step` (the first point when before all).
 * @param {SeriesData} ref
 * @param {"wallTimes" | "epochs"} column
 * @param {number} step
 */
function valueAtStep(ref, column, step) {
  const col = /** @type {Float64Array} */ (ref[column]);
  let i = lowerBound(ref.steps, 0, ref.n, step);
  if (i >= ref.n || ref.steps[i] > step) i--;
  return col[Math.max(0, Math.min(ref.n - 1, i))];
}
