/**
 * From the PyTorch generator's work folder to the committed corpus: for every finished run not yet in
 * the corpus, its window records (windows.ts, Nashboard's evaluator on the dumped samples) and its
 * compact metrics go into corpus/<id>.json.gz. Runs already in the corpus are left alone, so this
 * can follow a generation still under way and never rewrites a committed file; --force remakes them.
 *
 *   node --import tsx bench/cross-trainer/label.ts [--work runs/cross-trainer] [--corpus bench/cross-trainer/corpus] [--force]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_DIR, type CorpusRun, encodeRun, runTruth } from "./corpus.ts";
import { windowRecords } from "./windows.ts";
import { finishedRunIds, readWorkRun } from "./work-run.ts";

export function labelWorkRun(dir: string, id: string): CorpusRun {
  const work = readWorkRun(dir, id);
  return {
    id,
    config: work.config,
    seconds: work.seconds,
    windows: windowRecords(work.config, work.metrics, work.evals),
    metrics: work.metrics,
  };
}

function main(argv: string[]): void {
  const opt = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  const work = opt("--work", "runs/cross-trainer");
  const corpus = opt("--corpus", CORPUS_DIR);
  const force = argv.includes("--force");
  mkdirSync(corpus, { recursive: true });
  let added = 0;
  for (const id of finishedRunIds(work)) {
    const target = join(corpus, `${id}.json.gz`);
    if (existsSync(target) && !force) continue;
    const run = labelWorkRun(join(work, id), id);
    writeFileSync(target, encodeRun(run));
    const truth = runTruth(run);
    const last = run.windows[run.windows.length - 1];
    console.error(
      `${id}: ${truth.label} (${truth.finalState}; modes ${last.modes}/${last.modes_total}, hq ${last.hq.toFixed(2)}), ${run.windows.length} windows, ${run.metrics.length} logged steps`,
    );
    added++;
  }
  console.error(`${added} run(s) added to ${corpus}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
