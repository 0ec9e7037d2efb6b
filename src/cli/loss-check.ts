/**
 * Never silent: a run from which no D or G loss was read is not a healthy-looking "not enough data"
 * report. A file given alone is an error naming how it was read, what else was tried, the first line
 * that looked like a loss line, and the flags that name the keys; in a directory such runs are left
 * out with one line each on stderr, and a directory where every run is such a run is the same error.
 */
import { NashboardError } from "../errors.ts";
import type { Messages } from "../i18n/index.ts";
import { splitGameTag } from "../sources/console/games.ts";
import type { Detection } from "../sources/detect.ts";
import type { Run } from "../sources/run-builder.ts";
import type { ReadResult } from "../sources/run-source.ts";

const LOSS_TAGS = new Set(["loss_disc", "loss_gen"]);

export function hasLosses(run: Run): boolean {
  return run.series.some((s) => LOSS_TAGS.has(splitGameTag(s.tag)[0]) && s.steps.length > 0);
}

/** The runs with D or G losses; the others reported (stderr lines) or, when none is left, an error. */
export function requireLosses(
  path: string,
  read: ReadResult,
  m: Messages,
  warn: (line: string) => void,
): ReadResult {
  const kept = read.runs.filter(hasLosses);
  if (kept.length === read.runs.length) return read;
  if (kept.length === 0) {
    const run = read.runs[0];
    const detection = run?.files[0]?.detection;
    throw new NashboardError(
      "data",
      noLossesMessage(
        read.discovery.kind === "file" ? path : (run?.root ?? path),
        run?.format ?? "?",
        detection,
        m,
        run?.series.map((s) => (s.sourceTag === s.tag ? s.tag : `${s.sourceTag} (${s.tag})`)) ?? [],
      ),
    );
  }
  for (const run of read.runs) if (!hasLosses(run)) warn(m.errSkippedNoLosses(run.id, run.format));
  return { ...read, runs: kept };
}

/**
 * Why nothing was read from a file: how it was read (and what it did give: HiFi-GAN's console prints
 * only G's total loss), what else was tried, a line that looked like a loss.
 */
export function noLossesMessage(
  path: string,
  format: string,
  detection: Detection | undefined,
  m: Messages,
  found: string[] = [],
): string {
  const listed = found.length > 4 ? [...found.slice(0, 4), "..."] : found;
  const readAs =
    detection?.format === undefined && detection !== undefined
      ? m.noLossesUnknown
      : found.length > 0
        ? m.noLossesFound(format, listed.join(", "))
        : m.noLossesReadAs(format);
  return m.errNoLosses(path, readAs, triedList(detection), lossLikeText(detection, m));
}

export function triedList(detection: Detection | undefined): string {
  if (!detection || detection.tried.length === 0) return "tfevents";
  return detection.tried.map((t) => `${t.format} ${t.lossPoints}`).join(", ");
}

function lossLikeText(detection: Detection | undefined, m: Messages): string | undefined {
  const line = detection?.lossLike;
  if (!line) return undefined;
  const text = line.text.length > 120 ? `${line.text.slice(0, 117)}...` : line.text;
  return m.lossLineAt(line.line, JSON.stringify(text.trim()));
}
