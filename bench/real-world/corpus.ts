/**
 * The corpus of the world's GAN logs (test/fixtures/real-world): files other people wrote, each with
 * its source and the number of D and G loss points it holds, counted by a grep written down beside it
 * (manifest.json), never by the reader under test. Both the test (every file read, every count right)
 * and bench/real-world.ts (the share read and judged, for the README) go through `readCorpusFile`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnose } from "../../src/cli/analyze-report.ts";
import { hasLosses } from "../../src/cli/loss-check.ts";
import type { Health } from "../../src/monitor/types.ts";
import type { ReadNames } from "../../src/sources/parser.ts";
import { readRuns } from "../../src/sources/run-source.ts";

export const CORPUS_DIR = new URL("../../test/fixtures/real-world/", import.meta.url).pathname;
/**
 * The corpus' parts: logs pasted in public places and files committed to repositories (the reader was
 * built on these), and logs collected after the reader was frozen (held-out: what it was not tuned on;
 * held-out-2 and held-out-3: two more such parts, collected blind with the reader frozen at f6f412c and
 * at 8e27000).
 */
export const CORPUS_PARTS = ["pasted", "committed", "held-out", "held-out-2", "held-out-3"] as const;

export interface ManifestGame {
  name: string;
  dKey: string;
  gKey: string;
  dPoints: number;
  gPoints: number;
}

export interface ManifestEntry {
  file: string;
  source: string;
  shape: string;
  /** A game named "all runs": the points of every run in a folder of runs (an MLflow store), summed. */
  games: ManifestGame[];
  /** The names a user must give for this file (`--d-tag`, `--g-tag`): a headerless table, say. */
  readWith?: ReadNames;
  features?: string[];
  notes?: string;
}

export interface CorpusFile extends ManifestEntry {
  part: string;
  path: string;
}

export function corpusFiles(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const part of CORPUS_PARTS) {
    const manifest = join(CORPUS_DIR, part, "manifest.json");
    if (!existsSync(manifest)) continue;
    for (const e of JSON.parse(readFileSync(manifest, "utf8")) as ManifestEntry[])
      files.push({ ...e, part, path: join(CORPUS_DIR, part, e.file) });
  }
  return files;
}

/** A file expected to hold no D or G loss at all (read as an error, never as an empty report). */
export function expectsNothing(f: CorpusFile): boolean {
  return f.games.every((g) => g.dPoints === 0 && g.gPoints === 0);
}

export interface FileOutcome {
  /** "D/G" points per game as read, sorted (a game's name is the reader's: A, B, X, Y, or ""). */
  read: string[];
  expected: string[];
  /** The counts match the manifest's (for a file of no losses: nothing was read). */
  countsMatch: boolean;
  formats: string[];
  /** Per game read: the verdict's health, and whether the monitor had enough data to judge. */
  verdicts: { health: Health; enoughData: boolean }[];
}

const count = (p: { dPoints: number; gPoints: number }) => `${p.dPoints}/${p.gPoints}`;

export async function readCorpusFile(f: CorpusFile): Promise<FileOutcome> {
  const read = await readRuns(f.path, f.readWith ? { names: f.readWith } : {});
  const runs = read.runs.filter(hasLosses);
  const points = (tag: string, run: (typeof runs)[number]) =>
    run.series.filter((s) => s.tag === tag).reduce((n, s) => n + s.steps.length, 0);
  const perRun = runs.map((r) => ({ dPoints: points("loss_disc", r), gPoints: points("loss_gen", r) }));
  const sum = (key: "dPoints" | "gPoints") => perRun.reduce((n, r) => n + r[key], 0);
  const summed = f.games.length === 1 && f.games[0].name === "all runs";
  const got = summed
    ? [count({ dPoints: sum("dPoints"), gPoints: sum("gPoints") })]
    : perRun.map(count).sort();
  const expected = expectsNothing(f) ? [] : f.games.map(count).sort();
  const verdicts = diagnose({ ...read, runs }, { lang: "en" }).map(({ report }) => ({
    health: report.verdict.health,
    enoughData: report.verdict.enoughData,
  }));
  return {
    read: got,
    expected,
    countsMatch: got.join(" ") === expected.join(" "),
    formats: runs.map((r) => r.format),
    verdicts,
  };
}
