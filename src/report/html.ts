/**
 * One self-contained HTML file per analysis: the verdict and its advice, the loss curves with the
 * equilibrium lines, the monitor's states as a coloured band under them (hover for the evidence), the
 * alerts as markers and a list, every other logged series, and the images and audio the run logged at
 * its candidate epochs (embedded as data URIs within stated limits). No script, no external asset: it
 * opens offline in any browser and can be attached to an issue.
 */
import { type Lang, messages } from "../i18n/index.ts";
import { monitorMessages, renderCandidate, renderMessage } from "../monitor/messages.ts";
import { evidenceList } from "../monitor/render/evidence-words.ts";
import { referenceLine, verdictHeadline } from "../monitor/render/render-text.ts";
import type { CurveBucket } from "../monitor/signals/curve.ts";
import type { CandidateEpoch, MonitorReport, StateName } from "../monitor/types.ts";
import {
  CHART_CSS,
  type ChartLine,
  type ChartMarker,
  type ChartSeries,
  type ChartSpan,
  esc,
  hasCurve,
  svgChart,
} from "./svg-chart.ts";

export const STATE_COLORS: Record<StateName, string> = {
  warmup: "#c8c8c8",
  balanced: "#4caf50",
  d_dominant: "#e53935",
  g_dominant: "#fb8c00",
  collapse_suspected: "#8e24aa",
  diverged: "#212121",
  oscillating: "#fdd835",
  stalled: "#1e88e5",
};

const HEALTH_COLORS = { healthy: "#2e7d32", warning: "#ef6c00", unhealthy: "#c62828" };
const SERIES_COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037"];

/** Tags drawn together on one chart; any other tag gets a chart of its own. */
const GROUPS: string[][] = [
  ["loss_disc", "loss_gen"],
  ["d_real", "d_fake"],
  ["loss_mel", "loss_fm", "loss_kl"],
  ["lr_d", "lr_g", "lr"],
  ["grad_norm_d", "grad_norm_g"],
];

export interface HtmlReportRun {
  id: string;
  format: string;
  report: MonitorReport;
  /** The logged images and audio at the candidate epochs, read beforehand (src/cli/report-samples.ts). */
  samples?: ReportSamples;
}

/** One image or clip to show: its bytes when embedded, else why not. */
export interface SampleFigure {
  tag: string;
  kind: "image" | "audio";
  /** The logged step it is from, and the step it was chosen for (the nearest logged one). */
  step: number;
  wanted: number;
  contentType: string;
  size: number;
  width?: number;
  height?: number;
  bytes?: Uint8Array;
  omitted?: "same" | "too-big" | "over-total" | "unreadable";
  /** For "same": the step it was shown for above. */
  sameAs?: number;
  reason?: string;
}

export interface ReportSamples {
  clipLimit: number;
  totalLimit: number;
  /** Per candidate epoch (or the latest step when the monitor names none), the samples nearest it. */
  steps: { step: number; candidate?: CandidateEpoch; figures: SampleFigure[] }[];
}

export function renderHtmlReport(runs: HtmlReportRun[], lang: Lang): string {
  const m = monitorMessages(lang);
  const body = runs.map((r) => runSection(r, lang)).join("\n");
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.text.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 960px; color: #222; padding: 0 12px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 36px; border-bottom: 1px solid #ddd; }
.verdict { border-left: 6px solid; padding: 8px 14px; background: #fafafa; }
${CHART_CSS}
.samples { display: flex; flex-wrap: wrap; gap: 10px 18px; }
.samples figure { margin: 0; max-width: 100%; overflow-x: auto; }
.samples figcaption, .samples p { font-size: 12px; color: #555; margin: 2px 0; }
.samples img { display: block; }
.legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin-right: 4px; }
table { border-collapse: collapse; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
.values { background: #fafafa; padding: 6px 12px; } .values td:first-child { font-weight: 600; }
svg { width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${esc(m.text.title)}</h1>
${body}
</body>
</html>
`;
}

function runSection({ id, format, report, samples }: HtmlReportRun, lang: Lang): string {
  const m = monitorMessages(lang);
  const v = report.verdict;
  const out: string[] = [];
  out.push(`<h2>${esc(id)} <small>(${esc(format)})</small></h2>`);
  out.push(`<p>${esc(referenceLine(report, lang))}</p>`);
  out.push(`<div class="verdict" style="border-color:${HEALTH_COLORS[v.health]}">`);
  out.push(`<p><b>${esc(verdictHeadline(v, lang))}</b></p>`);
  out.push(`<p>${esc(renderMessage("summary", v.summary, lang))}</p>`);
  if (v.advice.length > 0) {
    out.push(
      `<p>${esc(m.text.advice)}</p><ul>${v.advice.map((a) => `<li>${esc(renderMessage("advice", a, lang))}</li>`).join("")}</ul>`,
    );
  }
  out.push("</div>");

  out.push(reportValues(report, lang));
  for (const chart of reportCharts(report, lang)) {
    out.push(chart.svg);
    if (chart.balance) {
      const seen = [...new Set(report.timeline.map((e) => e.state))];
      out.push(
        `<p class="legend">${seen.map((s) => `<span><i style="background:${STATE_COLORS[s]}"></i>${esc(m.state[s])}</span>`).join("")}</p>`,
      );
    }
  }
  if (report.jsd && report.jsd.series.length > 0) {
    const last = report.jsd.series[report.jsd.series.length - 1];
    out.push(
      `<p>${esc(m.text.jsd({ value: last.value, step: last.step }))} ${esc(renderMessage("note", report.jsd.caveat, lang))}</p>`,
    );
  }
  if (report.alerts.length > 0) {
    out.push(`<h3>${esc(m.text.alerts)}</h3><table>`);
    for (const a of report.alerts.slice(0, 200)) {
      const kind = m.picture.alertKind[a.kind] ?? a.kind;
      out.push(
        `<tr><td>${a.step}</td><td>${esc(kind)}</td><td>${esc(renderMessage("alert", a, lang))}</td></tr>`,
      );
    }
    out.push("</table>");
  }
  if (report.rvc && report.rvc.candidates.length > 0) {
    out.push(`<h3>${esc(m.text.candidates)}</h3><ul>`);
    for (const c of report.rvc.candidates) out.push(`<li>${esc(renderCandidate(c, lang))}</li>`);
    out.push("</ul>");
  }
  if (samples && samples.steps.length > 0) out.push(samplesSection(samples, lang));
  if (report.notes.length > 0) {
    out.push(
      `<h3>${esc(m.text.notes)}</h3><ul>${report.notes.map((n) => `<li>${esc(renderMessage("note", n, lang))}</li>`).join("")}</ul>`,
    );
  }
  return out.join("\n");
}

/** The images and clips nearest each candidate epoch, embedded, or named when they are not. */
function samplesSection(samples: ReportSamples, lang: Lang): string {
  const t = messages(lang);
  const m = monitorMessages(lang);
  const kib = (bytes: number) => Math.round(bytes / 1024);
  const out = [`<h3>${esc(t.reportSamplesTitle)}</h3>`];
  out.push(
    `<p>${esc(t.reportSamplesIntro(kib(samples.clipLimit), Math.round(samples.totalLimit / 1024 / 1024)))}</p>`,
  );
  for (const at of samples.steps) {
    const c = at.candidate;
    const title = c
      ? m.text.candidateEntry({
          epoch: c.epoch,
          step: c.step,
          file: c.checkpoint?.file,
          reasons: c.reasons.map((r) => renderMessage("reason", r, lang)).join("; "),
        })
      : `${t.reportSampleLatest}: ${at.step}`;
    out.push(`<h4>${esc(title)}</h4><div class="samples">`);
    for (const f of at.figures) out.push(sampleFigure(f, samples.clipLimit, lang));
    out.push("</div>");
  }
  return out.join("\n");
}

function sampleFigure(f: SampleFigure, clipLimit: number, lang: Lang): string {
  const t = messages(lang);
  const caption = esc(t.reportSampleAt(f.tag, f.step, f.wanted));
  if (f.bytes === undefined) {
    const why =
      f.omitted === "same"
        ? t.reportSampleSame(f.tag, f.step, f.sameAs ?? f.step)
        : f.omitted === "too-big"
          ? t.reportSampleTooBig(f.tag, f.step, Math.round(f.size / 1024), Math.round(clipLimit / 1024))
          : f.omitted === "over-total"
            ? t.reportSampleOverTotal(f.tag, f.step)
            : t.reportSampleUnreadable(f.tag, f.step, f.reason ?? "");
    return `<p>${esc(why)}</p>`;
  }
  const uri = `data:${f.contentType};base64,${Buffer.from(f.bytes).toString("base64")}`;
  const media =
    f.kind === "image"
      ? `<img src="${uri}" alt="${esc(`${f.tag} @ ${f.step}`)}"${f.width && f.height ? ` width="${f.width}" height="${f.height}"` : ""}>`
      : `<audio controls preload="none" src="${uri}"></audio>`;
  return `<figure>${media}<figcaption>${caption}</figcaption></figure>`;
}

/**
 * The report's charts as SVG: the two losses with the equilibrium lines, the state band and the alert
 * markers first (`balance`), then the other logged series in groups. `standalone` charts carry their
 * own styles (figure files).
 */
export function reportCharts(
  report: MonitorReport,
  lang: Lang,
  standalone = false,
): { tags: string[]; balance: boolean; svg: string }[] {
  const m = monitorMessages(lang);
  const spans: ChartSpan[] = report.timeline.map((e) => ({
    from: e.fromStep,
    to: e.toStep,
    color: STATE_COLORS[e.state],
    title: m.text.timelineEntry({
      from: e.fromStep,
      to: e.toStep,
      state: e.state,
      confidence: e.confidence,
      evidence: evidenceList(e.evidence, lang),
    }),
  }));
  const markers: ChartMarker[] = report.alerts.map((a) => ({
    x: a.step,
    color: a.severity === "critical" ? "#c62828" : a.severity === "warning" ? "#ef6c00" : "#777",
    title: `${a.step}: ${renderMessage("alert", a, lang)}`,
  }));
  const charts: { tags: string[]; balance: boolean; svg: string }[] = [];
  for (const { tags, series, isLosses } of chartGroups(report)) {
    if (!hasCurve(series)) continue;
    charts.push({
      tags,
      balance: isLosses,
      svg: svgChart({
        title: tags.join(", "),
        series,
        lines: isLosses ? equilibriumLines(report, lang) : [],
        ...(isLosses ? { spans, markers } : {}),
        xTitle: m.picture.axisStep,
        standalone,
      }),
    });
  }
  return charts;
}

/**
 * The groups with too few points for a curve (a one-line paste, a run stopped at its first log line),
 * as a table of the values that were logged, with the equilibrium beside the losses: a chart of one
 * point would be an empty frame on a made-up axis.
 */
export function reportValues(report: MonitorReport, lang: Lang): string {
  const m = monitorMessages(lang);
  const rows: string[] = [];
  for (const { tags, series, isLosses } of chartGroups(report)) {
    if (hasCurve(series)) continue;
    for (const s of series)
      rows.push(`<tr><td>${esc(s.label)}</td><td>${esc(valuesText(s.buckets, lang))}</td></tr>`);
    if (isLosses && tags.length > 0) {
      const eq = equilibriumLines(report, lang)
        .map((l) => l.label)
        .join(m.picture.listSeparator);
      if (eq) rows.push(`<tr><td></td><td>${esc(eq)}</td></tr>`);
    }
  }
  if (rows.length === 0) return "";
  return `<div class="values"><p>${esc(m.picture.valuesTitle)}</p><table>${rows.join("")}</table></div>`;
}

/** "3.32 at step 0; not a finite number at step 1": a few points of a series, in order. */
function valuesText(buckets: CurveBucket[], lang: Lang): string {
  const p = monitorMessages(lang).picture;
  const parts: string[] = [];
  for (const b of buckets.slice(0, 6)) {
    if (b.count > 0) parts.push(p.valueAt({ value: b.mean, step: b.fromStep }));
    if (b.nonFinite > 0) parts.push(p.nonFiniteAt({ step: b.toStep }));
  }
  return parts.join(p.valueSeparator);
}

/** The report's tags grouped as the charts draw them, each group's series in its colours. */
function chartGroups(report: MonitorReport) {
  const drawn = new Set<string>();
  const groups = [...GROUPS, ...Object.keys(report.curves).map((t) => [t])];
  const out: { tags: string[]; isLosses: boolean; series: ChartSeries[] }[] = [];
  for (const group of groups) {
    const tags = group.filter((t) => report.curves[t]?.length && !drawn.has(t));
    if (tags.length === 0) continue;
    for (const t of tags) drawn.add(t);
    out.push({
      tags,
      isLosses: tags.includes("loss_disc") || tags.includes("loss_gen"),
      series: tags.map((t, i) => ({
        label: t,
        color: SERIES_COLORS[i % SERIES_COLORS.length],
        buckets: report.curves[t],
      })),
    });
  }
  return out;
}

/** The loss family's equilibrium values, drawn as dashed lines on the loss chart. */
function equilibriumLines(report: MonitorReport, lang: Lang): ChartLine[] {
  const p = monitorMessages(lang).picture;
  const eq = report.equilibrium;
  const lines: ChartLine[] = [
    {
      y: eq.loss_disc,
      label: p.equilibrium({ tag: "loss_disc", value: eq.loss_disc }),
      color: SERIES_COLORS[0],
    },
  ];
  if (eq.loss_gen !== null)
    lines.push({
      y: eq.loss_gen,
      label: p.equilibrium({ tag: "loss_gen", value: eq.loss_gen }),
      color: SERIES_COLORS[1],
    });
  return lines;
}
