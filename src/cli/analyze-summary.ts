/**
 * What `nashboard analyze PATH --series` shows: the runs found, each series (points, first and last
 * step, NaN count) and every problem met while reading, as text or as one JSON object.
 *
 * The JSON shape (`--json`), version 1; a change that removes or renames a field bumps the version:
 *
 *   {
 *     "schema": "nashboard.analyze.series/1",
 *     "path": "logs",                        // as given on the command line
 *     "runs": [{
 *       "id": "ljs_base",                    // the run's directory relative to path ("." for path itself)
 *       "root": "logs/ljs_base",
 *       "format": "rvc-log+tfevents",        // the formats of its files
 *       "files": [{ "path": "logs/ljs_base/train.log", "format": "rvc-log", "role": "train-log", "bytes": 1500,
 *                   // how a file known by content was detected: sure = its parser read D/G losses from the
 *                   // first lines; the line that decided; what each text format read there
 *                   "detection": { "confidence": "sure", "line": 3, "text": "...",
 *                                  "tried": [{ "format": "jsonl", "lossPoints": 0, "points": 0 }, ...] } }],
 *       "hints": { "lossFamily": "lsgan", "discriminators": 6, "notes": ["..."], "checkpoints": [{ "epoch": 5, "step": 680 }] },
 *       "series": [{
 *         "tag": "loss_disc", "sourceTag": "loss_disc",
 *         "points": 245, "firstStep": 0, "lastStep": 48800, "nan": 0,
 *         "segments": 1,                     // stretches with a forward-moving step (resumes add one each)
 *         "files": ["logs/ljs_base/train.log"]
 *       }],
 *       // the images and audio clips its event files log: tags, counts and steps, never the bytes
 *       "samples": [{ "tag": "slice/mel_gen", "kind": "image", "count": 40, "steps": [0, 800, 1600] }],
 *       "problems": [{ "path": "...", "line": 12, "message": "...", "fatal": false }]   // or "offset": byte
 *     }],
 *     "skipped": [{ "path": "...", "reason": "unknown-format" | "unreadable" }]
 *   }
 */
import type { Messages } from "../i18n/index.ts";
import type { Detection, FormatTrial } from "../sources/detect.ts";
import type { RunHints } from "../sources/parser.ts";
import type { ReadResult } from "../sources/run-source.ts";
import { type TrackSummary, trackSummary } from "../sources/samples.ts";
import type { Series } from "../sources/series.ts";
import type { ReadProblem } from "../types.ts";

export const ANALYZE_SERIES_SCHEMA = "nashboard.analyze.series/1";

export interface SeriesSummary {
  tag: string;
  sourceTag: string;
  points: number;
  firstStep: number;
  lastStep: number;
  nan: number;
  segments: number;
  files: string[];
}

export interface DetectionSummary {
  confidence: Detection["confidence"];
  line?: number;
  text?: string;
  tried: FormatTrial[];
}

export interface RunSummary {
  id: string;
  root: string;
  format: string;
  files: { path: string; format: string; role: string; bytes: number; detection?: DetectionSummary }[];
  hints: RunHints;
  series: SeriesSummary[];
  samples: TrackSummary[];
  problems: ReadProblem[];
}

export interface AnalyzeSeriesJson {
  schema: typeof ANALYZE_SERIES_SCHEMA;
  path: string;
  runs: RunSummary[];
  skipped: { path: string; reason: string }[];
}

export function summarize(path: string, read: ReadResult): AnalyzeSeriesJson {
  return {
    schema: ANALYZE_SERIES_SCHEMA,
    path,
    runs: read.runs.map((run) => ({
      id: run.id,
      root: run.root,
      format: run.format,
      files: run.files.map((f) => ({
        path: f.path,
        format: f.format,
        role: f.role,
        bytes: f.size,
        ...(f.detection ? { detection: summarizeDetection(f.detection) } : {}),
      })),
      hints: run.hints,
      series: run.series.map(summarizeSeries),
      samples: run.samples.map(trackSummary),
      problems: run.problems,
    })),
    skipped: read.discovery.skipped.map((s) => ({ ...s })),
  };
}

function summarizeDetection(d: Detection): DetectionSummary {
  const out: DetectionSummary = { confidence: d.confidence, tried: d.tried };
  if (d.evidence) {
    out.line = d.evidence.line;
    out.text = d.evidence.text.length > 200 ? `${d.evidence.text.slice(0, 197)}...` : d.evidence.text;
  }
  return out;
}

function summarizeSeries(s: Series): SeriesSummary {
  let nan = 0;
  for (const v of s.values) if (Number.isNaN(v)) nan++;
  const n = s.steps.length;
  return {
    tag: s.tag,
    sourceTag: s.sourceTag,
    points: n,
    firstStep: s.steps[0],
    lastStep: s.steps[n - 1],
    nan,
    segments: n === 0 ? 0 : s.segments[n - 1] - s.segments[0] + 1,
    files: s.files,
  };
}

/** The summary as lines for a terminal, in the user's language. */
export function renderSummary(summary: AnalyzeSeriesJson, m: Messages): string[] {
  const lines: string[] = [];
  const points = summary.runs.reduce((n, r) => n + r.series.reduce((k, s) => k + s.points, 0), 0);
  const seriesCount = summary.runs.reduce((n, r) => n + r.series.length, 0);
  lines.push(m.analyzeTotals(summary.runs.length, seriesCount, points));
  for (const run of summary.runs) {
    lines.push("", m.analyzeRun(run.id, run.format, run.files.length));
    for (const f of run.files) {
      lines.push(`  ${m.analyzeFile(f.path, f.format, f.role)}`);
      const d = f.detection;
      if (!d) continue;
      const from =
        d.line === undefined ? undefined : `line ${d.line}: ${JSON.stringify((d.text ?? "").trim())}`;
      lines.push(`    ${m.detectedBy(f.format, d.confidence, from)}`);
      if (d.tried.length > 0)
        lines.push(`    ${m.detectionTried(d.tried.map((t) => `${t.format} ${t.lossPoints}`).join(", "))}`);
    }
    lines.push(...renderHints(run.hints, m).map((l) => `  ${l}`));
    lines.push(...(run.series.length > 0 ? renderTable(run.series, m) : [`  ${m.analyzeNoSeries}`]));
    if (run.samples.length > 0) lines.push(...renderSamples(run.samples, m));
    lines.push(`  ${run.problems.length > 0 ? m.analyzeProblems(run.problems.length) : m.analyzeNoProblems}`);
    for (const p of run.problems) lines.push(`    ${renderProblem(p, m)}`);
  }
  if (summary.skipped.length > 0) lines.push("");
  for (const s of summary.skipped) {
    lines.push(s.reason === "unreadable" ? m.analyzeUnreadable(s.path) : m.analyzeSkipped(s.path));
  }
  return lines;
}

function renderHints(h: RunHints, m: Messages): string[] {
  const lines: string[] = [];
  if (h.lossFamily) lines.push(m.analyzeLossFamily(h.lossFamily));
  if (h.discriminators !== undefined) lines.push(m.analyzeDiscriminators(h.discriminators));
  const saves = h.checkpoints ?? [];
  if (saves.length > 0) {
    const last = saves[saves.length - 1];
    const where = [
      last.epoch !== undefined ? `epoch ${last.epoch}` : "",
      last.step !== undefined ? `step ${last.step}` : "",
      last.file ?? "",
    ].filter((x) => x !== "");
    lines.push(m.analyzeCheckpoints(saves.length, where.join(", ")));
  }
  for (const note of h.notes ?? []) lines.push(m.analyzeNote(note));
  return lines;
}

/** Series as an aligned table: text columns left, number columns right. */
function renderTable(series: SeriesSummary[], m: Messages): string[] {
  const c = m.analyzeSeriesColumns;
  const header = [c.tag, c.sourceTag, c.points, c.firstStep, c.lastStep, c.nan];
  const rows = series.map((s) => [
    s.tag,
    s.sourceTag === s.tag ? "" : s.sourceTag,
    String(s.points),
    String(s.firstStep),
    String(s.lastStep),
    String(s.nan),
  ]);
  return alignTable([header, ...rows], 2);
}

/** Steps of a sample tag listed in full up to this many; beyond, the first ones, the last and a count. */
const STEPS_SHOWN = 8;

/** The image and audio tags: kind, how many samples, at which steps. */
function renderSamples(samples: TrackSummary[], m: Messages): string[] {
  const c = m.analyzeSamplesColumns;
  const total = samples.reduce((n, t) => n + t.count, 0);
  const rows = samples.map((t) => {
    const s = t.steps;
    const listed =
      s.length <= STEPS_SHOWN
        ? m.analyzeSampleSteps(s.join(", "), 0)
        : m.analyzeSampleSteps(
            `${s.slice(0, STEPS_SHOWN - 1).join(", ")}, ${s.at(-1)}`,
            s.length - STEPS_SHOWN,
          );
    return [t.tag, m.sampleKinds[t.kind], String(t.count), listed];
  });
  const header = [c.tag, c.kind, c.count, c.steps];
  return [`  ${m.analyzeSamples(samples.length, total)}`, ...alignTable([header, ...rows], 2, 3)];
}

/**
 * Rows as aligned columns: the first `textColumns` left-aligned, the others right-aligned, except a last
 * free-text column (from `freeFrom` on), which is left as it is.
 */
function alignTable(rows: string[][], textColumns: number, freeFrom = Number.POSITIVE_INFINITY): string[] {
  const header = rows[0];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  const cell = (text: string, i: number) => {
    if (i >= freeFrom) return text;
    const pad = " ".repeat(widths[i] - displayWidth(text));
    return i < textColumns ? text + pad : pad + text;
  };
  return rows.map((r) => `  ${r.map(cell).join("  ")}`.trimEnd());
}

/** Columns a string takes on a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1;
  return w;
}

function renderProblem(p: ReadProblem, m: Messages): string {
  const at =
    p.line !== undefined
      ? m.analyzeAtLine(p.path, p.line)
      : p.offset !== undefined
        ? m.analyzeAtByte(p.path, p.offset)
        : p.path;
  return `${at}: ${p.message}${p.fatal ? ` ${m.analyzeFatal}` : ""}`;
}
