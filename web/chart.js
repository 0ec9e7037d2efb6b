/**
 * One chart: a group of tags (loss_disc with loss_gen, d_real with d_fake, ...) from one or several
 * runs, drawn with uPlot. Each line is drawn twice, raw (faint) and smoothed, as TensorBoard does. The
 * data handed to uPlot is decimated to the plot's pixel width (decimate.js) for the visible x range;
 * a zoom (drag; double-click resets) decimates the new range again from the full columns.
 *
 * Drawn over the curves: the equilibrium lines of the run's loss family and K, the controller's
 * adjustments (vertical dashed lines) and the alerts (triangles on the top edge).
 */
import uPlot from "uplot";
import { decimate } from "./decimate.js";

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
    this.plot = new uPlot(this.options(), [[]], this.plotEl);
    this.update();
  }

  /** @returns {uPlot.Options} */
  options() {
    const spec = this.spec;
    /** @type {uPlot.Series[]} */
    const series = [{ label: spec.xLabel }];
    for (const line of spec.lines) {
      series.push({ label: `${line.label} ·`, stroke: `${line.color}40`, width: 1, points: { show: false } });
      series.push({ label: line.label, stroke: line.color, width: 1.6, points: { show: false } });
    }
    return {
      width: this.width(),
      height: HEIGHT,
      series,
      scales: { x: { time: false } },
      axes: [{}, { size: 64 }],
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
      const smoothed = s.smoothedValues(this.weight);
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
    for (const ref of spec.refLines ?? []) {
      const y = u.valToPos(ref.y, "y", true);
      if (!Number.isFinite(y)) continue;
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
      ctx.fillStyle = ref.color;
      ctx.fillText(ref.label, bbox.left + 4 * px, y - 3 * px);
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
    ctx.restore();
    spec.onDraw?.(this);
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
