/**
 * One chart: a group of tags (loss_disc with loss_gen, d_real with d_fake, ...) from one or several
 * runs, drawn with uPlot. Each line is drawn twice, raw (faint) and smoothed, as TensorBoard does. The
 * data handed to uPlot is decimated to the plot's pixel width (decimate.js) for the visible x range;
 * a zoom (drag; double-click resets) decimates the new range again from the full columns.
 *
 * Drawn over the curves: the equilibrium lines of the run's loss family and K (always inside the y
 * range, each labelled where the curves leave its label readable), the controller's adjustments
 * (vertical dashed lines) and the alerts (triangles on the top edge). The axes' ticks and the y range
 * follow axis.js, as the HTML report's charts do; a count (modes covered) is drawn as steps, unsmoothed.
 */
import uPlot from "uplot";
import { niceTicks, tickLabels, yRange } from "./axis.js";
import { decimate } from "./decimate.js";
import { fmt } from "./i18n.js";
import { coveredLength, placeLabels } from "./label-placement.js";

/**
 * @typedef {{ label: string, color: string, run: import("./run-data.js").RunData,
 *   series: import("./run-data.js").SeriesData }} Line
 * @typedef {{ y: number, label: string, color: string }} RefLine
 * @typedef {{ x: number, color: string }} Marker
 * @typedef {{ title: string, lines: Line[], mode: import("./run-data.js").AxisMode, xLabel: string,
 *   weight?: number, refLines?: RefLine[], markers?: () => Marker[], alertMarks?: () => Marker[],
 *   onDraw?: (chart: ChartView) => void }} ChartSpec
 */

const HEIGHT = 220;
/** Pixels between ticks, at least: the x axis's labels are wider than the y axis's are tall. */
const X_TICK_SPACE = 70;
const Y_TICK_SPACE = 36;
const LINEAR = /** @type {NonNullable<typeof uPlot.paths.linear>} */ (uPlot.paths.linear)();
// A count holds its value until the next point: a step after each point, never a slope.
const STEPPED = /** @type {NonNullable<typeof uPlot.paths.stepped>} */ (uPlot.paths.stepped)({ align: 1 });

export class ChartView {
  /**
   * @param {HTMLElement} parent
   * @param {ChartSpec} spec
   */
  constructor(parent, spec) {
    this.spec = spec;
    this.weight = spec.weight ?? 0.6;
    /** @type {{ min: number, max: number } | null} */
    this.zoom = null;
    this.settingData = false;
    this.pending = false;
    this.el = document.createElement("section");
    this.el.className = "chart";
    const title = document.createElement("h3");
    title.textContent = spec.title;
    this.el.append(title);
    this.plotEl = document.createElement("div");
    this.el.append(this.plotEl);
    parent.append(this.el);
    /** The reference lines' labels as last drawn (CSS px in the canvas), for the tests. */
    /** @type {{ text: string, x: number, y: number, width: number, height: number, inside: boolean, covered: number }[]} */
    this.refLabelBoxes = [];
    /** The axes' tick labels as last drawn, for the tests. */
    this.tickText = { x: /** @type {string[]} */ ([]), y: /** @type {string[]} */ ([]) };
    this.plot = new uPlot(this.options(), [[]], this.plotEl);
    this.update();
  }

  /** @returns {uPlot.Options} */
  options() {
    const spec = this.spec;
    /** @type {(u: uPlot, v: number | null) => string} */
    const value = (_u, v) => (v === null || v === undefined ? "--" : fmt(v));
    /** @type {uPlot.Series[]} */
    const series = [{ label: spec.xLabel, value }];
    for (const line of spec.lines) {
      /** @type {uPlot.Series.PathBuilder} */
      const paths = (u, si, i0, i1) => (line.series.isCount() ? STEPPED : LINEAR)(u, si, i0, i1);
      series.push({
        label: `${line.label} ·`,
        stroke: `${line.color}40`,
        width: 1,
        points: { show: false },
        paths,
        value,
      });
      series.push({
        label: line.label,
        stroke: line.color,
        width: 1.6,
        points: { show: false },
        paths,
        value,
      });
    }
    const px = () => uPlot.pxRatio;
    const wholeX = spec.mode !== "time";
    return {
      width: this.width(),
      height: HEIGHT,
      series,
      scales: {
        x: { time: false },
        // The equilibrium lines are always inside, however far the losses are from them.
        y: {
          range: (_u, min, max) =>
            yRange(
              min,
              max,
              (this.spec.refLines ?? []).map((r) => r.y),
            ),
        },
      },
      axes: [
        {
          label: spec.xLabel,
          labelSize: 18,
          splits: (u, _i, min, max) =>
            niceTicks(min, max, Math.max(2, Math.floor(u.bbox.width / px() / X_TICK_SPACE)), wholeX),
          values: (_u, splits) => {
            this.tickText.x = tickLabels(splits);
            return this.tickText.x;
          },
        },
        {
          size: 64,
          splits: (u, _i, min, max) =>
            niceTicks(
              min,
              max,
              Math.max(2, Math.floor(u.bbox.height / px() / Y_TICK_SPACE)),
              this.spec.lines.every((l) => l.series.isCount()),
            ),
          values: (_u, splits) => {
            this.tickText.y = tickLabels(splits);
            return this.tickText.y;
          },
        },
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      hooks: {
        setScale: [(u, key) => key === "x" && this.onXScale(u)],
        draw: [(u) => this.drawOverlays(u)],
      },
    };
  }

  width() {
    return Math.max(320, (this.el.parentElement?.clientWidth ?? 800) - 8);
  }

  /** The lines' labels as drawn (raw and smoothed), for the tests. */
  get labels() {
    return this.plot.series.slice(1).map((s) => String(s.label ?? ""));
  }

  /** @param {number} weight */
  setWeight(weight) {
    this.weight = weight;
    this.update();
  }

  resize() {
    this.plot.setSize({ width: this.width(), height: HEIGHT });
    this.update();
  }

  /** Decimates every line for the visible range and hands the result to uPlot. */
  update() {
    const { lines, mode } = this.spec;
    const full = this.extent();
    if (!full) return;
    const range = this.zoom ?? full;
    const columns = Math.max(50, Math.round(this.plot.bbox.width / uPlot.pxRatio) || this.width());
    /** @type {uPlot.AlignedData[]} */
    const tables = [];
    for (const line of lines) {
      const s = line.series;
      const xs = line.run.xs(s, mode);
      // A count is shown as it was logged: smoothing 7 and 8 modes into 7.25 shows a state never seen.
      const smoothed = s.isCount() ? s.values : s.smoothedValues(this.weight);
      for (const ys of [s.values, smoothed]) {
        const d = decimate(xs, ys, s.n, range.min, range.max, columns);
        tables.push(/** @type {uPlot.AlignedData} */ ([d.x, d.y]));
      }
    }
    // null in a line is a NaN of the data (a gap); points other lines have are undefined (spanned).
    const data = uPlot.join(
      tables,
      tables.map(() => [1]),
    );
    this.settingData = true;
    try {
      this.plot.setData(data, this.zoom === null);
      if (this.zoom) this.plot.setScale("x", this.zoom);
    } finally {
      this.settingData = false;
    }
  }

  /** Coalesces updates (points arriving, a slider moving) to one per frame. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.update();
    });
  }

  /** The x range of all lines' finite x values, or null when there is nothing to draw. */
  extent() {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const line of this.spec.lines) {
      const xs = line.run.xs(line.series, this.spec.mode);
      for (let i = 0; i < line.series.n; i++) {
        const x = xs[i];
        if (Number.isFinite(x)) {
          if (x < min) min = x;
          // Most series increase: the last finite x is the max unless the steps went back.
          break;
        }
      }
      for (let i = line.series.n - 1; i >= 0; i--) {
        const x = xs[i];
        if (Number.isFinite(x)) {
          if (x > max) max = x;
          break;
        }
      }
    }
    if (!(max >= min)) return null;
    return max > min ? { min, max } : { min: min - 1, max: max + 1 };
  }

  /** A zoom by the user (drag, double-click): decimate the new range. @param {uPlot} u */
  onXScale(u) {
    if (this.settingData) return;
    const full = this.extent();
    const { min, max } = u.scales.x;
    if (!full || min === undefined || max === undefined || min === null || max === null) return;
    const whole = min <= full.min && max >= full.max;
    this.zoom = whole ? null : { min, max };
    this.schedule();
  }

  /** @param {uPlot} u */
  drawOverlays(u) {
    const { ctx, bbox } = u;
    const spec = this.spec;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    const px = uPlot.pxRatio;
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    // uPlot leaves its axes' text alignment on the context.
    ctx.textAlign = "left";
    ctx.textBaseline = "bottom";
    const refs = (spec.refLines ?? []).filter((r) => Number.isFinite(u.valToPos(r.y, "y", true)));
    for (const ref of refs) {
      const y = u.valToPos(ref.y, "y", true);
      // Lighter than the curve of the same colour: a reference, not data.
      ctx.globalAlpha = 0.6;
      ctx.strokeStyle = ref.color;
      ctx.lineWidth = px;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    for (const m of spec.markers?.() ?? []) {
      const x = u.valToPos(m.x, "x", true);
      if (!Number.isFinite(x)) continue;
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([3 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const m of spec.alertMarks?.() ?? []) {
      const x = u.valToPos(m.x, "x", true);
      if (!Number.isFinite(x)) continue;
      ctx.fillStyle = m.color;
      ctx.beginPath();
      ctx.moveTo(x - 5 * px, bbox.top);
      ctx.lineTo(x + 5 * px, bbox.top);
      ctx.lineTo(x, bbox.top + 8 * px);
      ctx.fill();
    }
    // The labels last: on top of the curves and marks they were placed to avoid.
    this.drawRefLabels(u, refs);
    ctx.restore();
    spec.onDraw?.(this);
  }

  /**
   * Each reference line's label beside its line, where the smoothed curves (as drawn) cover the least
   * of it, on a white halo. @param {uPlot} u @param {RefLine[]} refs
   */
  drawRefLabels(u, refs) {
    const { ctx, bbox } = u;
    const px = uPlot.pxRatio;
    const height = 13 * px;
    /** What a label must not cover: the smoothed curves and the marks (data), and the other lines. */
    /** @type {import("./label-placement.js").Polyline[]} */
    const data = [];
    /** @type {import("./label-placement.js").Polyline[]} */
    const curves = [];
    const xs = /** @type {number[]} */ (u.data[0]);
    for (let si = 2; si < u.data.length; si += 2) {
      const ys = u.data[si];
      const n = xs.length;
      const cx = new Float64Array(n);
      const cy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = ys[i];
        cx[i] = u.valToPos(xs[i], "x", true);
        cy[i] = v === null || v === undefined ? Number.NaN : u.valToPos(v, "y", true);
      }
      data.push({ xs: cx, ys: cy, n });
    }
    // The controller's marks and the alerts' triangles are drawn over the plot too.
    const top = bbox.top;
    for (const m of this.spec.markers?.() ?? []) {
      const x = u.valToPos(m.x, "x", true);
      data.push({ xs: [x, x], ys: [top, top + bbox.height] });
    }
    for (const m of this.spec.alertMarks?.() ?? []) {
      const x = u.valToPos(m.x, "x", true);
      data.push({ xs: [x - 5 * px, x + 5 * px, x, x - 5 * px], ys: [top, top, top + 8 * px, top] });
    }
    curves.push(...data);
    for (const ref of refs) {
      const y = u.valToPos(ref.y, "y", true);
      curves.push({ xs: [bbox.left, bbox.left + bbox.width], ys: [y, y] });
    }
    const box = { left: bbox.left, top: bbox.top, width: bbox.width, height: bbox.height };
    const spots = placeLabels(
      box,
      refs.map((r) => ({ y: u.valToPos(r.y, "y", true), width: ctx.measureText(r.label).width, height })),
      curves,
    );
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    this.refLabelBoxes = refs.map((ref, i) => {
      const r = spots[i];
      ctx.lineWidth = 3 * px;
      ctx.strokeStyle = "#fff";
      ctx.strokeText(ref.label, r.x, r.y + r.height / 2);
      ctx.fillStyle = ref.color;
      ctx.fillText(ref.label, r.x, r.y + r.height / 2);
      const inside =
        r.x >= bbox.left &&
        r.y >= bbox.top &&
        r.x + r.width <= bbox.left + bbox.width &&
        r.y + r.height <= bbox.top + bbox.height;
      let covered = 0;
      for (const c of data) covered += coveredLength(r, c);
      return {
        text: ref.label,
        x: r.x / px,
        y: r.y / px,
        width: r.width / px,
        height: r.height / px,
        inside,
        covered,
      };
    });
  }

  /** CSS pixels: the plot area's left edge inside the chart, and its width. */
  plotBox() {
    const px = uPlot.pxRatio;
    return { left: this.plot.bbox.left / px, width: this.plot.bbox.width / px };
  }

  /** Step positions in CSS pixels from the plot's left edge. @param {number} x */
  xToPx(x) {
    return this.plot.valToPos(x, "x");
  }

  destroy() {
    this.plot.destroy();
    this.el.remove();
  }
}
