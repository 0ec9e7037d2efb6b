/**
 * What `nashboard analyze PATH` shows by default: the monitor's diagnosis of every run found, replayed
 * through the same BalanceMonitor that watches live runs. As text (one report per run), as one JSON
 * object (--json), and as a self-contained HTML page (--html FILE).
 *
 * The JSON shape, version 1 (a change that removes or renames a field bumps the version):
 *
 *   {
 *     "schema": "nashboard.analyze.report/1",
 *     "path": "logs/my-voice",
 *     "lang": "en",                          // the language of every rendered "message" / "summaryText"
 *     "runs": [{
 *       "id": ".", "format": "rvc-log+tfevents",
 *       "lossFamily": "lsgan", "discriminators": 9,
 *       "equilibrium": { "loss_disc": 4.5, "loss_gen": 2.25 },
 *       "timeline": [{ "fromStep": 0, "toStep": 4000, "segment": 0, "state": "balanced", "confidence": 0.8,
 *                      "evidence": [{ "signal": "loss_disc.rel", "value": 0.93, "threshold": 0.5, "op": ">" }], "steps": 20 }],
 *       // primary: the main problem's state, or for a run without one the state it ended in
 *       // ("balanced", or "warmup" while there is too little to judge): always a state name
 *       "verdict": { "health": "warning", "primary": "d_dominant", "summary": "…rendered…",
 *                    "advice": ["…rendered…"], "enoughData": true },
 *       "alerts": [{ "step": 110200, "kind": "non_finite", "severity": "critical", "message": "…rendered…" }],
 *       "phases": [{ "phase": "early", "fromStep": 0, "toStep": 600 }],
 *       "problems": [{ "path": "…", "line": 12, "message": "…", "fatal": false }],   // met while reading
 *       // the images and audio clips its event files log, as `--series` lists them (no bytes)
 *       "samples": [{ "tag": "slice/mel_gen", "kind": "image", "count": 40, "steps": [0, 800, 1600] }],
 *       "report": { … }                      // the monitor's full MonitorReport (src/monitor/types.ts):
 *                                            // keys + params of every sentence, curves, rvc facts, notes
 *     }]
 *   }
 */
import type { Lang } from "../i18n/index.ts";
import { renderMessage } from "../monitor/messages.ts";
import { BalanceMonitor } from "../monitor/monitor.ts";
import { renderExplainText } from "../monitor/render/render-explain.ts";
import { renderReportText } from "../monitor/render/render-text.ts";
import type { MonitorReport } from "../monitor/types.ts";
import { replayPoints } from "../sources/replay.ts";
import type { Run } from "../sources/run-builder.ts";
import type { ReadResult } from "../sources/run-source.ts";
import { trackSummary } from "../sources/samples.ts";
import type { LossFamily } from "../types.ts";

export const ANALYZE_REPORT_SCHEMA = "nashboard.analyze.report/1";

export interface DiagnosisOptions {
  lossFamily?: LossFamily;
  discriminators?: number;
  lang: Lang;
}

export interface DiagnosedRun {
  run: Run;
  report: MonitorReport;
}

/** Replays each run through a fresh monitor. */
export function diagnose(read: ReadResult, o: DiagnosisOptions): DiagnosedRun[] {
  return read.runs.map((run) => {
    const monitor = new BalanceMonitor({
      hints: run.hints,
      lang: o.lang,
      ...(o.lossFamily ? { lossFamily: o.lossFamily } : {}),
      ...(o.discriminators ? { discriminators: o.discriminators } : {}),
    });
    for (const point of replayPoints(run)) monitor.push(point);
    monitor.flush();
    return { run, report: monitor.report() };
  });
}

export function reportJson(path: string, runs: DiagnosedRun[], lang: Lang) {
  return {
    schema: ANALYZE_REPORT_SCHEMA,
    path,
    lang,
    runs: runs.map(({ run, report }) => ({
      id: run.id,
      format: run.format,
      lossFamily: report.lossFamily,
      discriminators: report.discriminators,
      equilibrium: report.equilibrium,
      timeline: report.timeline,
      verdict: {
        health: report.verdict.health,
        // Always a state name: the main problem, or the state the run ended in (balanced, warmup).
        primary: report.verdict.primary ?? report.timeline.at(-1)?.state ?? "warmup",
        summary: renderMessage("summary", report.verdict.summary, lang),
        advice: report.verdict.advice.map((a) => renderMessage("advice", a, lang)),
        enoughData: report.verdict.enoughData,
      },
      alerts: report.alerts.map((a) => ({
        step: a.step,
        kind: a.kind,
        severity: a.severity,
        message: a.message,
      })),
      phases: report.phases.map((p) => ({ phase: p.phase, fromStep: p.fromStep, toStep: p.toStep })),
      problems: run.problems,
      samples: run.samples.map(trackSummary),
      report,
    })),
  };
}

/** Each run's report as text; with `explain`, followed by the rule and the numbers behind each judgement. */
export function reportText(runs: DiagnosedRun[], lang: Lang, explain = false): string[] {
  const lines: string[] = [];
  for (const { run, report } of runs) {
    if (runs.length > 1 || run.id !== ".") lines.push(`== ${run.id} (${run.format}) ==`);
    lines.push(...renderReportText(report, lang).split("\n"));
    if (explain) lines.push(...renderExplainText(report, lang).split("\n"));
    lines.push("");
  }
  return lines;
}
