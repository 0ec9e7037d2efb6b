/**
 * The parts of the page that are words, not curves: the verdict with its advice, the candidate
 * checkpoints of a voice model, the reference (family, K, equilibrium), the latest values, the alerts
 * table and the controller's adjustments. The sentences come rendered from the server in the page's
 * language.
 */
import { fmt } from "./i18n.js";

/**
 * @typedef {{ health: string, headline: string, summary: string, advice: string[] }} VerdictView
 * @typedef {{ step: number, kind: string, severity: string, kindText: string, severityText: string,
 *   message: string }} AlertView
 * @typedef {{ lossFamily: string, discriminators: number, reference: string,
 *   equilibrium: { loss_disc: number, loss_gen: number | null }, verdict: VerdictView, alerts: AlertView[],
 *   timeline: import("./band.js").BandEntry[], states: Record<string, string>,
 *   jsd: { steps: unknown[], values: unknown[], latest: string, caveat: string } | null,
 *   lastStep: number | null, candidates: import("./samples.js").Candidate[], candidatesTitle: string }} ReportView
 * @typedef {{ step: number, kind: string, from: number, to: number, reason: string, player?: string,
 *   state?: string, gap?: number, confidence?: number, rule?: number, urgent?: boolean,
 *   evidence?: { signal: string, value: number, threshold?: number, op?: string }[] }} ControlEvent
 */

/**
 * @param {ReportView | null | undefined} report
 * @param {import("./i18n.js").Strings} s
 */
export function renderVerdict(report, s) {
  const box = /** @type {HTMLElement} */ (document.getElementById("verdict"));
  const ref = /** @type {HTMLElement} */ (document.getElementById("reference"));
  box.replaceChildren();
  box.className = "verdict";
  ref.textContent = report?.reference ?? "";
  renderCandidates(report?.candidatesTitle ?? "", report?.candidates ?? []);
  if (!report) return;
  const v = report.verdict;
  box.classList.add(v.health);
  const head = document.createElement("p");
  const b = document.createElement("b");
  b.textContent = v.headline;
  head.append(b);
  const summary = document.createElement("p");
  summary.textContent = v.summary;
  box.append(head, summary);
  if (v.advice.length > 0) {
    const p = document.createElement("p");
    p.textContent = s.advice;
    box.append(p, textList(v.advice));
  }
}

/** A list of sentences. @param {string[]} items */
function textList(items) {
  const ul = document.createElement("ul");
  for (const text of items) {
    const li = document.createElement("li");
    li.textContent = text;
    ul.append(li);
  }
  return ul;
}

/**
 * The checkpoints worth listening to (voice models), as analyze lists them.
 * @param {string} title
 * @param {import("./samples.js").Candidate[]} candidates
 */
function renderCandidates(title, candidates) {
  const box = /** @type {HTMLElement} */ (document.getElementById("candidates"));
  box.replaceChildren();
  box.hidden = candidates.length === 0;
  if (candidates.length === 0) return;
  const heading = document.createElement("h3");
  heading.textContent = title;
  box.append(heading, textList(candidates.map((c) => c.text)));
}

/**
 * @param {AlertView[]} alerts
 * @param {import("./i18n.js").Strings} s
 */
export function renderAlerts(alerts, s) {
  const box = /** @type {HTMLElement} */ (document.getElementById("alerts"));
  box.replaceChildren();
  if (alerts.length === 0) {
    const p = document.createElement("p");
    p.className = "no-alerts";
    p.textContent = s.noAlerts;
    box.append(p);
    return;
  }
  const table = document.createElement("table");
  table.className = "alerts";
  const head = document.createElement("tr");
  for (const h of [s.alertStep, s.alertKind, s.alertSeverity, s.alertMessage]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  table.append(head);
  // The latest first: a live run's news is at the top.
  for (const a of [...alerts].reverse()) {
    const tr = document.createElement("tr");
    tr.className = `alert ${a.severity}`;
    for (const text of [String(a.step), a.kindText ?? a.kind, a.severityText ?? a.severity, a.message]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    table.append(tr);
  }
  box.append(table);
}

/**
 * @param {ControlEvent[]} events
 * @param {import("./i18n.js").Strings} s
 * @param {Record<string, string>} [states] the monitor's state names in the page's language
 */
export function renderControl(events, s, states) {
  const list = /** @type {HTMLElement} */ (document.getElementById("control-list"));
  list.replaceChildren();
  if (events.length === 0) {
    const li = document.createElement("li");
    li.textContent = s.noControl;
    list.append(li);
  }
  for (const e of events) {
    const li = document.createElement("li");
    li.className = "control-entry";
    li.textContent = s.controlEntry(e, states);
    list.append(li);
  }
}

/**
 * The latest logged values of the shown run's losses (or of its first two tags).
 * @param {import("./run-data.js").RunData | undefined} run
 * @param {import("./i18n.js").Strings} s
 */
export function renderLatest(run, s) {
  const el = /** @type {HTMLElement} */ (document.getElementById("latest"));
  if (!run || run.series.length === 0) {
    el.textContent = "";
    return;
  }
  const shown = ["loss_disc", "loss_gen"].map((t) => run.byTag(t)).filter((x) => x !== undefined);
  const series = shown.length > 0 ? shown : run.series.slice(0, 2);
  const last = Math.max(...series.map((x) => (x.n > 0 ? x.steps[x.n - 1] : Number.NEGATIVE_INFINITY)));
  const parts = series.filter((x) => x.n > 0).map((x) => `${x.tag} ${fmt(x.values[x.n - 1])}`);
  el.textContent = `${s.latest(last)} ${parts.join(", ")}`;
  el.dataset.step = String(last);
}
