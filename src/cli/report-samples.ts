/**
 * The samples the HTML report embeds: for each candidate epoch the monitor names (or, when it names
 * none, the run's latest logged step), the sample of each image and audio tag at the logged step
 * nearest it, read from the event files now. A page meant to be attached to an issue stays a size one
 * can attach: a clip is embedded up to CLIP_LIMIT, and the page's samples up to TOTAL_LIMIT in all; what
 * is left out is named with its step and size, and the page states both limits.
 */
import type { CandidateEpoch, MonitorReport } from "../monitor/types.ts";
import type { ReportSamples, SampleFigure } from "../report/html.ts";
import type { Run } from "../sources/run-builder.ts";
import { readSamplePayload } from "../sources/sample-payload.ts";
import { type SampleEntry, type SampleTrack, UNKNOWN_TYPE } from "../sources/samples.ts";

/** An embedded clip's largest size: 512 KiB holds about 12 s of 22 kHz 16-bit mono WAV. */
export const CLIP_LIMIT = 512 * 1024;
/** The samples of one page together (images and clips, before base64 adds a third). */
export const TOTAL_LIMIT = 16 * 1024 * 1024;

/** What the page has embedded so far: shared by every run of one report. */
export interface EmbedBudget {
  clipLimit: number;
  totalLimit: number;
  used: number;
}

export function newBudget(clipLimit = CLIP_LIMIT, totalLimit = TOTAL_LIMIT): EmbedBudget {
  return { clipLimit, totalLimit, used: 0 };
}

/** The run's samples at its candidate epochs, or undefined when it logs none. */
export async function reportSamples(
  run: Run,
  report: MonitorReport,
  budget: EmbedBudget,
): Promise<ReportSamples | undefined> {
  if (run.samples.length === 0) return undefined;
  const candidates = report.rvc?.candidates ?? [];
  const last = Math.max(...run.samples.map((t) => t.entries.at(-1)!.step));
  const wanted: { step: number; candidate?: CandidateEpoch }[] =
    candidates.length > 0 ? candidates.map((c) => ({ step: c.step, candidate: c })) : [{ step: last }];
  /** Samples already embedded, and for which step: a sample nearest two candidates is shown once. */
  const shown = new Map<SampleEntry, number>();
  const out: ReportSamples = { clipLimit: budget.clipLimit, totalLimit: budget.totalLimit, steps: [] };
  for (const w of wanted) {
    const figures: SampleFigure[] = [];
    for (const track of run.samples) {
      const entry = nearestEntry(track, w.step);
      figures.push(await figure(track, entry, w.step, shown, budget));
    }
    out.steps.push({ step: w.step, ...(w.candidate ? { candidate: w.candidate } : {}), figures });
  }
  return out;
}

async function figure(
  track: SampleTrack,
  entry: SampleEntry,
  wanted: number,
  shown: Map<SampleEntry, number>,
  budget: EmbedBudget,
): Promise<SampleFigure> {
  const base: SampleFigure = {
    tag: track.tag,
    kind: track.kind,
    step: entry.step,
    wanted,
    contentType: entry.contentType,
    size: entry.length,
    ...(entry.width !== undefined ? { width: entry.width } : {}),
    ...(entry.height !== undefined ? { height: entry.height } : {}),
  };
  const before = shown.get(entry);
  if (before !== undefined) return { ...base, omitted: "same", sameAs: before };
  if (entry.contentType === UNKNOWN_TYPE) return { ...base, omitted: "unreadable", reason: "unknown format" };
  if (track.kind === "audio" && entry.length > budget.clipLimit) return { ...base, omitted: "too-big" };
  if (budget.used + entry.length > budget.totalLimit) return { ...base, omitted: "over-total" };
  const read = await readSamplePayload(entry);
  if (!read.ok) return { ...base, omitted: "unreadable", reason: read.reason };
  budget.used += entry.length;
  shown.set(entry, wanted);
  return { ...base, bytes: read.bytes };
}

/** The first sample at the logged step nearest `step` (the earlier step on a tie). */
function nearestEntry(track: SampleTrack, step: number): SampleEntry {
  let best = track.entries[0];
  for (const e of track.entries) {
    if (Math.abs(e.step - step) < Math.abs(best.step - step)) best = e;
  }
  return best;
}
