/**
 * The dashboard page: the runs the server was started on, the shown run's curves with its overlays,
 * kept live by the event stream. State lives here; charts-ui.js, report-ui.js and panel.js draw it.
 *
 * Consistency: a run's columns are loaded once (binary) with the run's update counter `seq`; `points`
 * updates carry the next seq and are appended, those already included are ignored, and a missed one
 * (or a `reset`) loads the run again. Every (re)connection's `hello` names each run's seq, so a page
 * that was away catches up.
 */
import { fetchColumns, fetchJson, openEvents } from "./api.js";
import { attachTooltip } from "./band.js";
import { Charts } from "./charts-ui.js";
import { applyStaticText, STRINGS } from "./i18n.js";
import { drawPanel } from "./panel.js";
import { renderAlerts, renderControl, renderLatest, renderVerdict } from "./report-ui.js";
import { RunData } from "./run-data.js";
import { SamplesView } from "./samples.js";

/** @typedef {import("./i18n.js").Lang} Lang */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const params = new URLSearchParams(location.search);
const state = {
  /** @type {Lang} */
  lang: pickLang(),
  weight: 0.6,
  /** @type {import("./run-data.js").AxisMode} */
  mode: "step",
  /** @type {Map<string, import("./api.js").RunInfo>} */
  runs: new Map(),
  /** @type {Map<string, import("./report-ui.js").ReportView | null>} */
  reports: new Map(),
  /** @type {Map<string, import("./report-ui.js").ControlEvent[]>} */
  control: new Map(),
  /** @type {Map<string, RunData>} */
  data: new Map(),
  /** @type {Map<string, any[]>} points updates that arrived while the run was loading */
  buffered: new Map(),
  /** @type {string | undefined} */
  primary: undefined,
  /** @type {Set<string>} */
  overlays: new Set(),
  /** @type {EventSource | undefined} */
  source: undefined,
  painted: false,
};
const charts = new Charts($("charts"), $("jsd"), $("values"));
const samples = new SamplesView($("samples-box"), $("samples"));

function pickLang() {
  const asked = params.get("lang") ?? localStorage.getItem("nashboard.lang") ?? navigator.language;
  return /** @type {Lang} */ (/^zh/i.test(asked ?? "") ? "zh" : "en");
}

const strings = () => STRINGS[state.lang];
const shown = () =>
  /** @type {string[]} */ (
    [state.primary, ...state.overlays].filter((k) => k !== undefined && state.data.has(k))
  );

/** Loads (or reloads) a run's columns, then applies what arrived meanwhile. @param {string} key */
async function load(key) {
  state.buffered.set(key, state.buffered.get(key) ?? []);
  const info = state.runs.get(key);
  if (!info) return;
  performance.mark(`nashboard:load:${key}`);
  const loaded = await fetchColumns(key);
  performance.mark(`nashboard:loaded:${key}`);
  const run = new RunData(info, loaded);
  const waiting = state.buffered.get(key) ?? [];
  state.buffered.delete(key);
  state.data.set(key, run);
  for (const u of waiting) {
    if (run.apply(u) === "gap") return load(key);
  }
  if (key === state.primary || state.overlays.has(key)) rebuild();
}

function rebuild() {
  const runs = /** @type {RunData[]} */ (shown().map((k) => state.data.get(k)));
  const primary = state.primary;
  const axis = /** @type {HTMLSelectElement} */ ($("x-axis"));
  for (const option of axis.options) {
    option.disabled = !runs[0]?.hasAxis(/** @type {import("./run-data.js").AxisMode} */ (option.value));
  }
  charts.build({
    runs,
    mode: state.mode,
    weight: state.weight,
    report: primary ? state.reports.get(primary) : undefined,
    control: primary ? (state.control.get(primary) ?? []) : [],
    strings: strings(),
    onDraw: (chart) => {
      if (!state.painted && chart === charts.views[0] && chart.plot.data[0].length > 0) {
        state.painted = true;
        performance.mark("nashboard:first-paint");
      }
    },
  });
  renderLatest(primary ? state.data.get(primary) : undefined, strings());
}

/** The samples view's marks: the shown run's candidate epochs and latest step, in the page's words. */
function samplesContext() {
  const report = state.primary ? state.reports.get(state.primary) : undefined;
  samples.setContext(report?.candidates ?? [], report?.lastStep ?? undefined, strings());
}

function renderWords() {
  const primary = state.primary;
  const report = primary ? state.reports.get(primary) : undefined;
  samplesContext();
  renderVerdict(report, strings());
  renderAlerts(report?.alerts ?? [], strings());
  renderControl(primary ? (state.control.get(primary) ?? []) : [], strings(), report?.states);
  renderRuns();
}

function renderRuns() {
  const list = $("run-list");
  list.replaceChildren();
  $("no-runs").hidden = state.runs.size > 0;
  for (const info of state.runs.values()) {
    const li = document.createElement("li");
    li.dataset.key = info.key;
    if (info.key === state.primary) li.classList.add("primary");
    const overlay = document.createElement("input");
    overlay.type = "checkbox";
    overlay.title = strings().overlay;
    overlay.checked = state.overlays.has(info.key);
    overlay.disabled = info.key === state.primary;
    overlay.addEventListener("change", () => {
      if (overlay.checked) state.overlays.add(info.key);
      else state.overlays.delete(info.key);
      if (overlay.checked && !state.data.has(info.key)) void load(info.key);
      else rebuild();
    });
    const name = document.createElement("button");
    name.type = "button";
    name.textContent = info.name;
    name.addEventListener("click", () => select(info.key));
    const format = document.createElement("small");
    format.textContent = info.format;
    const health = document.createElement("i");
    health.className = "health";
    li.append(overlay, health, name, format);
    paintHealth(li);
    list.append(li);
  }
}

/**
 * A run's health as a coloured dot in the list (the verdict's own colours), its headline on hover: the
 * runs that need a look stand out without opening each. @param {HTMLElement} li
 */
function paintHealth(li) {
  const report = state.reports.get(li.dataset.key ?? "");
  const dot = /** @type {HTMLElement | null} */ (li.querySelector("i.health"));
  if (!dot) return;
  li.dataset.health = report?.verdict.health ?? "none";
  dot.title = report?.verdict.headline ?? strings().noReport;
}

/** Shows a run (its curves, band, verdict, panel, samples). @param {string} key */
function select(key) {
  state.primary = key;
  state.overlays.delete(key);
  renderWords();
  void showPanel(key);
  // The samples' index comes after the curves: the scalars are what a page shows first.
  const showSamples = () => {
    if (state.primary === key) void samples.show(key, state.runs.get(key)?.samples ?? 0);
  };
  if (state.data.has(key)) {
    rebuild();
    showSamples();
  } else void load(key).then(showSamples);
}

/** @param {string} key */
async function showPanel(key) {
  const box = $("panel-box");
  const info = state.runs.get(key);
  box.hidden = !info?.panel;
  if (!info?.panel) return;
  const panel = await fetchJson(key, "panel");
  if (panel && key === state.primary) paint(key, panel);
}

/** @param {string} key @param {import("./panel.js").Panel} panel */
function paint(key, panel) {
  const box = $("panel-box");
  box.hidden = false;
  drawPanel(/** @type {HTMLCanvasElement} */ ($("panel")), panel, state.runs.get(key)?.lossFamily);
  $("panel-caption").textContent = strings().panelCaption(panel.step, panel.source, panel.reject);
  $("panel").dataset.step = String(panel.step);
}

/** @param {string} type @param {any} data */
function onEvent(type, data) {
  switch (type) {
    case "hello": {
      performance.mark("nashboard:hello");
      state.runs = new Map(data.runs.map((/** @type {any} */ r) => [r.key, r]));
      state.reports = new Map(Object.entries(data.reports));
      state.control = new Map(Object.entries(data.control));
      for (const [key, run] of state.data) {
        if (state.runs.get(key)?.seq !== run.seq) void load(key);
      }
      if (state.primary === undefined && state.runs.size > 0) select(data.runs[0].key);
      else {
        renderWords();
        charts.refresh({
          report: state.primary ? state.reports.get(state.primary) : null,
          strings: strings(),
        });
      }
      break;
    }
    case "run":
      state.runs.set(data.key, data);
      if (state.primary === undefined) select(data.key);
      else renderRuns();
      break;
    case "points": {
      const run = state.data.get(data.key);
      if (!run) {
        state.buffered.get(data.key)?.push(data);
        break;
      }
      const result = run.apply(data);
      if (result === "gap") void load(data.key);
      if (result !== "ok" || !shown().includes(data.key)) break;
      charts.dataChanged();
      if (data.key === state.primary) renderLatest(run, strings());
      break;
    }
    case "reset":
      if (state.data.has(data.key) || state.buffered.has(data.key)) void load(data.key);
      if (data.key === state.primary) void samples.reload();
      break;
    case "samples": {
      const info = state.runs.get(data.key);
      if (info) info.samples = data.count;
      if (data.key === state.primary && state.data.has(data.key)) void samples.show(data.key, data.count);
      break;
    }
    case "report": {
      state.reports.set(data.key, data.report);
      const li = document.querySelector(`#run-list li[data-key="${CSS.escape(data.key)}"]`);
      if (li) paintHealth(/** @type {HTMLElement} */ (li));
      if (data.key === state.primary) {
        samplesContext();
        renderVerdict(data.report, strings());
        renderAlerts(data.report?.alerts ?? [], strings());
        renderControl(state.control.get(data.key) ?? [], strings(), data.report?.states);
        charts.refresh({ report: data.report });
      }
      break;
    }
    case "control":
      state.control.set(data.key, data.events);
      if (data.key === state.primary) {
        renderControl(data.events, strings(), state.reports.get(data.key)?.states);
        charts.refresh({ control: data.events });
      }
      break;
    case "panel":
      if (data.key === state.primary) paint(data.key, data.panel);
      break;
  }
}

function connect() {
  state.source?.close();
  state.source = openEvents(state.lang, {
    onEvent,
    onState: (open) => {
      const status = $("status");
      status.textContent = open ? strings().live : strings().reconnecting;
      status.classList.toggle("down", !open);
    },
  });
}

/** @param {Lang} lang */
function setLang(lang) {
  state.lang = lang;
  localStorage.setItem("nashboard.lang", lang);
  applyStaticText(lang);
  $("lang-en").classList.toggle("active", lang === "en");
  $("lang-zh").classList.toggle("active", lang === "zh");
  // The monitor's sentences come rendered in the stream's language: reconnect in the new one.
  connect();
  rebuild();
}

function wire() {
  const slider = /** @type {HTMLInputElement} */ ($("smoothing"));
  slider.addEventListener("input", () => {
    state.weight = Number(slider.value);
    $("smoothing-value").textContent = state.weight.toFixed(2);
    charts.setWeight(state.weight);
  });
  const axis = /** @type {HTMLSelectElement} */ ($("x-axis"));
  axis.addEventListener("change", () => {
    state.mode = /** @type {import("./run-data.js").AxisMode} */ (axis.value);
    rebuild();
  });
  $("lang-en").addEventListener("click", () => setLang("en"));
  $("lang-zh").addEventListener("click", () => setLang("zh"));
  attachTooltip($("content"), $("tooltip"));
  let resizing = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => charts.resize());
  });
}

wire();
setLang(state.lang);
// The columns are the big download: start it at once rather than after the stream's hello.
void fetch("/api/runs", { cache: "no-store" })
  .then((r) => (r.ok ? r.json() : []))
  .then((/** @type {import("./api.js").RunInfo[]} */ runs) => {
    if (state.primary !== undefined || runs.length === 0) return;
    for (const r of runs) if (!state.runs.has(r.key)) state.runs.set(r.key, r);
    select(runs[0].key);
  });

/** For tests and the curious: what the page shows, read from its own state. */
Object.assign(window, {
  nashboard: {
    state,
    charts: () =>
      charts.views.map((v) => ({
        title: v.spec.title,
        run: v.spec.lines[0]?.run.key,
        labels: v.labels,
        points: v.plot.data[0].length,
        ticks: v.tickText,
        axisTitle: String(v.plot.axes[0].label ?? ""),
        yRange: [v.plot.scales.y.min, v.plot.scales.y.max],
        refLabels: v.refLabelBoxes,
      })),
    /** The columns a chart handed to uPlot (x, then each line raw and smoothed). @param {string} title */
    chartData: (title) => charts.views.find((v) => v.spec.title === title)?.plot.data,
    /** Zooms the first chart's x axis as a drag would. @param {number} min @param {number} max */
    zoom: (min, max) => charts.views[0]?.plot.setScale("x", { min, max }),
    /** The x values the first chart handed to uPlot: [first, last, count]. */
    drawnX: () => {
      const xs = /** @type {number[]} */ (charts.views[0]?.plot.data[0] ?? []);
      return [xs[0], xs[xs.length - 1], xs.length];
    },
    /** The samples view's tags and their logged steps. */
    samples: () => samples.tracks.map((t) => ({ tag: t.tag, kind: t.kind, steps: t.steps })),
    /** @param {string} tag */
    last: (tag) => {
      const s = state.primary ? state.data.get(state.primary)?.byTag(tag) : undefined;
      return s && s.n > 0 ? { step: s.steps[s.n - 1], value: s.values[s.n - 1], n: s.n } : undefined;
    },
  },
});
