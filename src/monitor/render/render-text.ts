/**
 * The report as readable text, in English or Chinese: verdict and advice first (what a user came
 * for), then the evidence (timeline, phases, alerts), the voice-model facts and the notes. Evidence is
 * named in words here; the identifiers and every threshold are in `analyze --explain` and the JSON.
 */
import type { Lang } from "../../i18n/index.ts";
import { monitorMessages, renderMessage } from "../messages.ts";
import type { MonitorReport } from "../types.ts";
import { evidenceList } from "./evidence-words.ts";

/** Evidence items shown per timeline entry: enough to see why, short enough to read. */
const EVIDENCE_SHOWN = 3;
/** Alerts printed per kind (the JSON report keeps more): a run that spikes often stays readable. */
const ALERTS_SHOWN_PER_KIND = 5;

export function renderReportText(report: MonitorReport, lang: Lang): string {
  const m = monitorMessages(lang);
  const x = m.text;
  const lines: string[] = [x.title, ""];
  lines.push(referenceLine(report, lang));
  lines.push(x.steps({ count: report.completedSteps, first: report.firstStep, last: report.lastStep }));
  lines.push("");
  const v = report.verdict;
  lines.push(verdictHeadline(v, lang));
  lines.push(`  ${renderMessage("summary", v.summary, lang)}`);
  if (v.advice.length > 0) {
    lines.push("", x.advice);
    for (const a of v.advice) lines.push(`  - ${renderMessage("advice", a, lang)}`);
  }

  if (report.timeline.length > 0) {
    lines.push("", x.timeline);
    report.timeline.forEach((e, i) => {
      if (report.timelineOmitted > 0 && i === Math.ceil(report.timeline.length / 2)) {
        lines.push(`  ${x.timelineOmitted({ count: report.timelineOmitted })}`);
      }
      lines.push(
        `  ${x.timelineEntry({ from: e.fromStep, to: e.toStep, state: e.state, confidence: e.confidence, evidence: evidenceList(e.evidence.slice(0, EVIDENCE_SHOWN), lang) })}`,
      );
    });
  }
  if (report.phases.length > 0) {
    lines.push("", x.phases);
    for (const p of report.phases)
      lines.push(`  ${x.phaseEntry({ phase: m.phase[p.phase], from: p.fromStep, to: p.toStep })}`);
  } else if (report.completedSteps > 0) {
    lines.push("", x.noPhases);
  }
  if (report.alerts.length > 0) {
    lines.push("", x.alerts);
    const shown = new Map<string, number>();
    const hidden = new Map<string, number>(Object.entries(report.alertsOmitted));
    for (const a of report.alerts) {
      const n = shown.get(a.kind) ?? 0;
      if (n >= ALERTS_SHOWN_PER_KIND) {
        hidden.set(a.kind, (hidden.get(a.kind) ?? 0) + 1);
        continue;
      }
      shown.set(a.kind, n + 1);
      lines.push(
        `  ${x.alertEntry({ step: a.step, kind: a.kind, message: renderMessage("alert", a, lang) })}`,
      );
    }
    for (const [kind, count] of hidden) lines.push(`  ${x.alertsOmitted({ kind, count })}`);
  }
  const last = report.jsd?.series.at(-1);
  if (last) lines.push("", x.jsd({ step: last.step, value: last.value }));

  const rvc = report.rvc;
  if (rvc && (Object.keys(rvc.trends).length > 0 || rvc.candidates.length > 0)) {
    lines.push("", x.rvc);
    for (const [tag, tr] of Object.entries(rvc.trends)) {
      lines.push(`  ${x.trendEntry({ tag, direction: m.trend[tr.direction], change: tr.change, z: tr.z })}`);
    }
    if (rvc.candidates.length > 0) {
      lines.push(`  ${x.candidates}`);
      for (const c of rvc.candidates) {
        const reasons = c.reasons.map((r) => renderMessage("reason", r, lang)).join(m.picture.valueSeparator);
        lines.push(
          `    - ${x.candidateEntry({ epoch: c.epoch, step: c.step, file: c.checkpoint?.file, reasons })}`,
        );
      }
    }
  }
  if (report.notes.length > 0) {
    lines.push("", x.notes);
    for (const n of report.notes) lines.push(`  - ${renderMessage("note", n, lang)}`);
  }
  const q = report.dataQuality;
  if (q.invalid + q.late + q.backward + q.repeated > 0) lines.push("", x.dataQuality({ ...q }));
  return `${lines.join("\n")}\n`;
}

/**
 * The verdict's headline, the same on every surface (terminal, HTML report, dashboard). Too little to
 * judge is not a warning about the run: it says so instead of a health word.
 */
/** The family, K and equilibrium the report judged against, and where each came from: one line on every surface. */
export function referenceLine(report: MonitorReport, lang: Lang): string {
  const r = report.reference;
  return monitorMessages(lang).text.reference({
    family: r.family,
    familySource: r.familySource,
    k: r.discriminators,
    kSource: r.discriminatorsSource,
    eqDisc: report.equilibrium.loss_disc,
    eqGen: report.equilibrium.loss_gen ?? undefined,
  });
}

export function verdictHeadline(v: MonitorReport["verdict"], lang: Lang): string {
  const m = monitorMessages(lang);
  if (!v.enoughData && v.health === "warning") return m.text.verdictTooEarly;
  return m.text.verdict({
    health: v.health,
    healthText: m.health[v.health],
    primary: v.primary ?? undefined,
  });
}
