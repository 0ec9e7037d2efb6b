/**
 * Which charts the page shows for the selected runs: the tags grouped as the HTML report groups them
 * (losses together, D's outputs together, ...), every other tag on a chart of its own, each line from
 * the shown run and from every overlaid run. The loss chart carries the equilibrium lines, the alerts,
 * the controller's marks and, under it, the monitor's state band; BCE runs get the JS-divergence chart.
 * Groups with fewer than two logged steps (a one-line paste, a run's first line) are listed as values
 * in one table instead: a chart of one point is an empty frame on a made-up axis. They become charts
 * as soon as a second step arrives.
 */
import { CONTROL_COLOR, StateBand } from "./band.js";
import { ChartView } from "./chart.js";
import { fmt } from "./i18n.js";
import { RunData } from "./run-data.js";

/** Tags drawn together; any other tag gets a chart of its own. */
const GROUPS = [
  ["loss_disc", "loss_gen"],
  ["d_real", "d_fake"],
  ["loss_mel", "loss_fm", "loss_kl"],
  ["lr_d", "lr_g", "lr"],
  ["grad_norm_d", "grad_norm_g"],
];
const COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"];
const SEVERITY_COLORS = { critical: "#c62828", warning: "#ef6c00", info: "#9e9e9e" };

/**
 * @typedef {{ runs: RunData[], mode: import("./run-data.js").AxisMode, weight: number,
 *   report: import("./report-ui.js").ReportView | null | undefined,
 *   control: import("./report-ui.js").ControlEvent[], strings: import("./i18n.js").Strings,
 *   onDraw: (chart: ChartView) => void }} ChartsInput
 */

export class Charts {
  /** @param {HTMLElement} parent @param {HTMLElement} jsdParent @param {HTMLElement} valuesParent */
  constructor(parent, jsdParent, valuesParent) {
    this.parent = parent;
    this.jsdParent = jsdParent;
    this.valuesParent = valuesParent;
    /** @type {ChartView[]} */
    this.views = [];
    /** @type {StateBand | undefined} */
    this.band = undefined;
    /** @type {ChartView | undefined} */
    this.lossChart = undefined;
    /** @type {ChartView | undefined} */
    this.jsdChart = undefined;
    /** @type {ChartsInput | undefined} */
    this.input = undefined;
    /** Groups shown as values (fewer than two logged steps), and their table. */
    /** @type {{ lines: import("./chart.js").Line[], losses: boolean }[]} */
    this.valueGroups = [];
    /** @type {HTMLElement | undefined} */
    this.valuesEl = undefined;
  }

  /** Rebuilds every chart (a new selection, axis or language). @param {ChartsInput} input */
  build(input) {
    this.destroy();
    this.input = input;
    const [primary] = input.runs;
    if (!primary) return;
    const s = input.strings;
    const xLabel = input.mode === "step" ? s.axisStep : input.mode === "epoch" ? s.axisEpoch : s.axisTime;
    const runs = input.runs.filter((r) => r.hasAxis(input.mode));
    /** @type {string[]} */
    const tags = [];
    for (const r of runs) for (const x of r.series) if (!tags.includes(x.tag)) tags.push(x.tag);
    const drawn = new Set();
    for (const group of [...GROUPS, ...byPrefix(tags)]) {
      const present = group.filter((t) => tags.includes(t) && !drawn.has(t));
      if (present.length === 0) continue;
      for (const t of present) drawn.add(t);
      /** @type {import("./chart.js").Line[]} */
      const lines = [];
      runs.forEach((run, ri) => {
        present.forEach((tag, ti) => {
          for (const series of run.series.filter((x) => x.tag === tag)) {
            const label = runs.length > 1 ? `${run.info.name}: ${tag}` : tag;
            lines.push({ label, color: COLORS[(ri * group.length + ti) % COLORS.length], run, series });
          }
        });
      });
      if (lines.length === 0) continue;
      const isLosses = present.includes("loss_disc") || present.includes("loss_gen");
      const title = present.length > 3 ? `${present[0].replace(/\/\d+$/, "")}/*` : present.join(", ");
      if (!hasTwoSteps(lines, input.mode)) {
        this.valueGroups.push({ lines, losses: isLosses });
        continue;
      }
      const toX = (/** @type {number} */ step) => primary.stepToX(step, input.mode);
      /** @type {import("./chart.js").ChartSpec} */
      const spec = {
        title,
        lines,
        mode: input.mode,
        xLabel,
        weight: input.weight,
        markers: () => (this.input?.control ?? []).map((e) => ({ x: toX(e.step), color: CONTROL_COLOR })),
        onDraw: (chart) => {
          if (chart === this.lossChart && this.band) this.band.place(chart.plotBox(), (x) => chart.xToPx(x));
          this.input?.onDraw(chart);
        },
      };
      if (isLosses) {
        spec.refLines = this.refLines(input);
        spec.alertMarks = () =>
          (this.input?.report?.alerts ?? []).map((a) => ({
            x: toX(a.step),
            color: SEVERITY_COLORS[/** @type {keyof typeof SEVERITY_COLORS} */ (a.severity)] ?? "#999",
          }));
      }
      const view = new ChartView(this.parent, spec);
      this.views.push(view);
      if (isLosses && !this.lossChart) {
        this.lossChart = view;
        this.band = new StateBand(view.el, s.stateBand);
        this.renderBand();
      }
    }
    this.renderValues();
    this.buildJsd();
  }

  /** The groups with fewer than two logged steps, as one table of their values, above the charts. */
  renderValues() {
    this.valuesEl?.remove();
    this.valuesEl = undefined;
    const input = this.input;
    if (!input || this.valueGroups.length === 0) return;
    const s = input.strings;
    const el = document.createElement("section");
    el.className = "values";
    const title = document.createElement("h3");
    title.textContent = s.valuesTitle;
    const table = document.createElement("table");
    /** @param {string} label @param {string} text */
    const row = (label, text) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = label;
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(th, td);
      table.append(tr);
    };
    for (const group of this.valueGroups) {
      for (const line of group.lines) {
        const { series } = line;
        const parts = [];
        for (let i = 0; i < Math.min(series.n, 6); i++) {
          const v = series.values[i];
          parts.push(Number.isFinite(v) ? s.valueAt(series.steps[i], v) : s.nonFiniteAt(series.steps[i]));
        }
        row(line.label, parts.join(s.valueSeparator));
      }
      if (group.losses)
        row(
          "",
          this.refLines(input)
            .map((r) => r.label)
            .join(", "),
        );
    }
    el.append(title, table);
    this.valuesParent.append(el);
    this.valuesEl = el;
  }

  /** The equilibrium values of the shown run's family and K, on the loss chart. @param {ChartsInput} input */
  refLines(input) {
    const eq = input.report?.equilibrium;
    if (!eq) return [];
    const s = input.strings;
    const lines = [
      { y: eq.loss_disc, label: `loss_disc ${s.equilibrium} ${fmt(eq.loss_disc)}`, color: COLORS[0] },
    ];
    if (eq.loss_gen !== null) {
      lines.push({
        y: eq.loss_gen,
        label: `loss_gen ${s.equilibrium} ${fmt(eq.loss_gen)}`,
        color: COLORS[1],
      });
    }
    return lines;
  }

  /** The state band and control flags of the shown run, from its report and control log. */
  renderBand() {
    const input = this.input;
    const [primary] = input?.runs ?? [];
    if (!input || !this.band || !primary) return;
    const toX = (/** @type {number} */ step) => primary.stepToX(step, input.mode);
    const states = input.report?.states ?? {};
    const flags = input.control.map((e) => ({ step: e.step, text: input.strings.controlEntry(e, states) }));
    this.band.render(input.report?.timeline ?? [], flags, toX, states);
    if (this.lossChart)
      this.band.place(this.lossChart.plotBox(), (x) => this.lossChart?.xToPx(x) ?? Number.NaN);
  }

  /** The JS-divergence lower bound of a BCE run, as its own small chart. */
  buildJsd() {
    this.jsdChart?.destroy();
    this.jsdChart = undefined;
    this.jsdParent.replaceChildren();
    const input = this.input;
    const jsd = input?.report?.jsd;
    const [primary] = input?.runs ?? [];
    if (!input || !jsd || !primary || jsd.steps.length === 0) return;
    const n = jsd.steps.length;
    const run = new RunData(primary.info, {
      seq: 0,
      series: [
        {
          tag: "jsd",
          sourceTag: "jsd",
          n,
          steps: Float64Array.from(jsd.steps, Number),
          values: Float64Array.from(jsd.values, Number),
        },
      ],
    });
    this.jsdChart = new ChartView(this.jsdParent, {
      title: input.strings.jsdTitle,
      lines: [{ label: "JSD", color: COLORS[3], run, series: run.series[0] }],
      mode: "step",
      xLabel: input.strings.axisStep,
    });
    this.jsdChart.el.classList.add("jsd-chart");
    const latest = document.createElement("p");
    latest.textContent = jsd.latest;
    const caveat = document.createElement("p");
    caveat.className = "jsd-caveat";
    caveat.textContent = jsd.caveat;
    this.jsdParent.append(latest, caveat);
  }

  /** New report or control log: the band, markers and reference lines change, the curves do not. */
  refresh(/** @type {Partial<ChartsInput>} */ change) {
    if (!this.input) return;
    Object.assign(this.input, change);
    if (this.lossChart) {
      this.lossChart.spec.refLines = this.refLines(this.input);
      // The y range holds the lines: a new equilibrium (K read from the log) may move it.
      this.lossChart.schedule();
    }
    this.renderBand();
    this.renderValues();
    if ("report" in change) this.buildJsd();
    for (const v of this.views) v.plot.redraw(false);
  }

  /** New points: every chart decimates again in the next frame; values that became a curve, a chart. */
  dataChanged() {
    const input = this.input;
    if (input && this.valueGroups.some((g) => hasTwoSteps(g.lines, input.mode))) {
      this.build(input);
      return;
    }
    if (this.valueGroups.length > 0) this.renderValues();
    for (const v of this.views) v.schedule();
  }

  /** @param {number} weight */
  setWeight(weight) {
    if (this.input) this.input.weight = weight;
    for (const v of this.views) v.setWeight(weight);
  }

  resize() {
    for (const v of this.views) v.resize();
    this.jsdChart?.resize();
  }

  destroy() {
    for (const v of this.views) v.destroy();
    this.views = [];
    this.valueGroups = [];
    this.valuesEl?.remove();
    this.valuesEl = undefined;
    this.band = undefined;
    this.lossChart = undefined;
    this.jsdChart?.destroy();
    this.jsdChart = undefined;
    this.jsdParent.replaceChildren();
  }
}

/**
 * Whether the lines hold finite values at two different x positions at least: a curve to draw.
 * @param {import("./chart.js").Line[]} lines
 * @param {import("./run-data.js").AxisMode} mode
 */
function hasTwoSteps(lines, mode) {
  let first = Number.NaN;
  for (const { run, series } of lines) {
    const xs = run.xs(series, mode);
    for (let i = 0; i < series.n; i++) {
      if (!Number.isFinite(series.values[i]) || !Number.isFinite(xs[i])) continue;
      if (Number.isNaN(first)) first = xs[i];
      else if (xs[i] !== first) return true;
    }
  }
  return false;
}

/**
 * The other tags, one chart each, except numbered families (eval/mode_counts/0, /1, ...; d_real_k/0,
 * ...) that share one chart.
 * @param {string[]} tags
 */
function byPrefix(tags) {
  /** @type {Map<string, string[]>} */
  const groups = new Map();
  for (const t of tags) {
    const key = /\/\d+$/.test(t) ? t.replace(/\/\d+$/, "/*") : t;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()];
}
