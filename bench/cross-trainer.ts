/**
 * Issue 14, item 1: the balance monitor and the naive rules scored on GAN runs made by another trainer
 * (PyTorch, bench/cross-trainer/generate.py), judged from their logged metrics against ground truth from
 * their samples. Reads only the committed corpus (bench/cross-trainer/corpus/*.json.gz): no
 * training, no Python, minutes from a clean clone.
 *
 *   node --import tsx bench/cross-trainer.ts [--corpus bench/cross-trainer/corpus]
 *     [--report bench/RESULTS-cross-trainer.md] [--json runs/cross-trainer-results.json]
 *     [--resamples 2000] [--notes bench/cross-trainer/notes.md]
 *
 * To grow the corpus: generate.py (see bench/cross-trainer/corpus/README.md), then label.ts, then this.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { CORPUS_DIR, loadCorpus } from "./cross-trainer/corpus.ts";
import { EQUILIBRIUM_BAND } from "./cross-trainer/equilibrium-band.ts";
import { renderReport } from "./cross-trainer/report.ts";
import { evaluateCorpus } from "./cross-trainer/score.ts";
import { MONITOR_LOSSES_ONLY } from "./scenarios/detector-list.ts";
import { nanSafe } from "./scenarios/window-record.ts";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const corpusDir = opt("--corpus", CORPUS_DIR);
const reportPath = opt("--report", "bench/RESULTS-cross-trainer.md");
// Beside the work runs, not in bench/: large, and the formatter would rewrite it.
const jsonPath = opt("--json", "runs/cross-trainer-results.json");
const resamples = Number(opt("--resamples", "2000"));
const notesPath = opt("--notes", "bench/cross-trainer/notes.md");

/** A git answer, or a note that there is none (a tarball has no history). */
function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

function provenance(runs: number): string {
  const corpusCommit = git(["log", "-1", "--format=%h %cs", "--", corpusDir]) || "(no git history)";
  const uncommitted = git(["status", "--porcelain", "--", corpusDir])
    .split("\n")
    .filter((l) => l.trim() !== "").length;
  const head = git(["rev-parse", "--short", "HEAD"]) || "(unknown)";
  const monitorDirty = git(["status", "--porcelain", "--", "src/monitor", "src/losses"]) !== "";
  const monitorCommit = git(["log", "-1", "--format=%h", "--", "src/monitor", "src/losses"]) || "(unknown)";
  return (
    `Corpus: ${corpusDir} at commit ${corpusCommit}${uncommitted > 0 ? ` plus ${uncommitted} uncommitted file(s)` : ""}, ${runs} runs. ` +
    `Monitor: the code at HEAD ${head} (src/monitor and src/losses last changed at ${monitorCommit})${monitorDirty ? " with uncommitted changes under src/monitor or src/losses" : ""}, thresholds as committed (src/monitor/thresholds.ts).`
  );
}

const started = performance.now();
const corpus = loadCorpus(corpusDir);
if (corpus.length === 0) throw new Error(`no runs under ${corpusDir}`);
const evaluation = evaluateCorpus(corpus, { resamples });
const analysisSeconds = (performance.now() - started) / 1000;
const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(" ");
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load} (the machine is shared)`;
const report = renderReport(evaluation, {
  command: `node --import tsx bench/cross-trainer.ts ${argv.join(" ")}`.trim(),
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  machine,
  provenance: provenance(corpus.length),
  analysisSeconds,
  resamples,
  generationSeconds: corpus.map((r) => r.seconds),
  focus: [MONITOR_LOSSES_ONLY, "monitor, all tags", "naive threshold", EQUILIBRIUM_BAND],
  ...(existsSync(notesPath) ? { notes: readFileSync(notesPath, "utf8") } : {}),
});
writeFileSync(reportPath, report);
mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, `${JSON.stringify({ machine, resamples, ...evaluation }, nanSafe)}\n`);
console.error(`wrote ${reportPath} and ${jsonPath} (${corpus.length} runs, ${analysisSeconds.toFixed(0)} s)`);
