/**
 * The monitor's report as the page draws it, every sentence rendered in the page's language through the
 * monitor's own catalogue (so a state, an alert or a verdict reads the same as in `analyze`). The
 * curves are left out: the page has every point.
 */
import type { Lang } from "../i18n/index.ts";
import { monitorMessages, renderCandidate, renderMessage } from "../monitor/messages.ts";
import { evidenceList } from "../monitor/render/evidence-words.ts";
import { referenceLine, verdictHeadline } from "../monitor/render/render-text.ts";
import type { MonitorReport, StateName } from "../monitor/types.ts";

export interface ReportView {
  lossFamily: string;
  discriminators: number;
  reference: string;
  equilibrium: { loss_disc: number; loss_gen: number | null };
  completedSteps: number;
  lastStep: number | null;
  timeline: {
    fromStep: number;
    toStep: number;
    segment: number;
    state: StateName;
    stateText: string;
    confidence: number;
    /** The state, its steps and evidence as one sentence: the band's hover text. */
    text: string;
  }[];
  /** kind and severity as the monitor names them (the page's colours), and in words. */
  alerts: {
    step: number;
    kind: string;
    severity: string;
    kindText: string;
    severityText: string;
    message: string;
  }[];
  verdict: {
    health: string;
    headline: string;
    summary: string;
    advice: string[];
    enoughData: boolean;
  };
  /** BCE runs: the JS-divergence lower bound per bucket, and what it means. */
  jsd: { steps: number[]; values: number[]; latest: string; caveat: string } | null;
  /** Every state's name in this language (the band's legend). */
  states: Record<StateName, string>;
  /** The epochs worth listening to (voice models), each with its reasons: listed under the verdict as
   * analyze lists them, and marked in the samples view. */
  candidates: { step: number; epoch?: number; text: string }[];
  /** The candidates' heading, as analyze writes it. */
  candidatesTitle: string;
}

/** Alerts sent to a page; the report keeps more, the list on a page need not. */
const MAX_ALERTS = 500;

export function reportView(report: MonitorReport, lang: Lang): ReportView {
  const m = monitorMessages(lang);
  const eq = report.equilibrium;
  const v = report.verdict;
  const jsd = report.jsd && report.jsd.series.length > 0 ? report.jsd : undefined;
  const lastJsd = jsd?.series[jsd.series.length - 1];
  return {
    lossFamily: report.lossFamily,
    discriminators: report.discriminators,
    reference: referenceLine(report, lang),
    equilibrium: { loss_disc: eq.loss_disc, loss_gen: eq.loss_gen },
    completedSteps: report.completedSteps,
    lastStep: report.lastStep ?? null,
    timeline: report.timeline.map((e) => ({
      fromStep: e.fromStep,
      toStep: e.toStep,
      segment: e.segment,
      state: e.state,
      stateText: m.state[e.state],
      confidence: e.confidence,
      text: m.text.timelineEntry({
        from: e.fromStep,
        to: e.toStep,
        state: e.state,
        confidence: e.confidence,
        evidence: evidenceList(e.evidence, lang),
      }),
    })),
    alerts: report.alerts.slice(-MAX_ALERTS).map((a) => ({
      step: a.step,
      kind: a.kind,
      severity: a.severity,
      kindText: m.picture.alertKind[a.kind] ?? a.kind,
      severityText: m.picture.severity[a.severity] ?? a.severity,
      message: renderMessage("alert", a, lang),
    })),
    verdict: {
      health: v.health,
      headline: verdictHeadline(v, lang),
      summary: renderMessage("summary", v.summary, lang),
      advice: v.advice.map((a) => renderMessage("advice", a, lang)),
      enoughData: v.enoughData,
    },
    jsd:
      jsd && lastJsd
        ? {
            steps: jsd.series.map((p) => p.step),
            values: jsd.series.map((p) => p.value),
            latest: m.text.jsd({ value: lastJsd.value, step: lastJsd.step }),
            caveat: renderMessage("note", jsd.caveat, lang),
          }
        : null,
    states: { ...m.state },
    candidates: (report.rvc?.candidates ?? []).map((c) => ({
      step: c.step,
      ...(c.epoch !== undefined ? { epoch: c.epoch } : {}),
      text: renderCandidate(c, lang),
    })),
    candidatesTitle: m.text.candidates,
  };
}
