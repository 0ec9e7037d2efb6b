/**
 * How much can the losses tell? Issue 14 asks the monitor, from the losses alone, for F1 and balanced
 * accuracy of 0.9 on another trainer's runs. This estimates what any reader of the losses could reach
 * on the corpus: a random forest (forest.ts) fitted to summaries of each run's logged series
 * (loss-features.ts), with the truth from the samples, scored on runs it was not fitted on: by
 * stratified 10-fold cross-validation over the corpus (repeated with other fold draws), then fitted to
 * the whole corpus and scored once on the sealed runs. The same with every logged tag (D's outputs,
 * gradient norms) shows what logging more would buy. A fitted model is an estimate of the ceiling, not a
 * diagnosis (it explains nothing a user could check), and it is tuned on nothing: its settings are
 * the textbook defaults, fixed before the first run of this script.
 *
 *   node --import tsx bench/cross-trainer/ceiling.ts [--holdout bench/cross-trainer/sealed[,dir2...]] (default: the three sealed sets)
 *        [--repeats 5] [--report bench/RESULTS-cross-trainer-ceiling.md] [--notes ceiling-notes.md]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Rng } from "../../src/rng.ts";
import { TRUTH_STATES, type TruthState } from "../scenarios/labels.ts";
import { bootstrapScores, type Interval, type RunPair } from "./bootstrap.ts";
import { CORPUS_DIR, type CorpusRun, loadCorpus, runTruth } from "./corpus.ts";
import { fitForest } from "./forest.ts";
import { type FeatureSet, featureNames, runFeatures } from "./loss-features.ts";

const FOLDS = 10;
const TREES = 200;

interface Labelled {
  run: CorpusRun;
  unhealthy: boolean;
  finalState: TruthState;
}

interface Scored {
  label: string;
  runs: number;
  auc: number;
  /** The best balanced accuracy any cut of the votes reaches, the cut chosen knowing the truth: an
   *  upper bound on what this model's votes can tell apart, not a figure any reader would reach. */
  bestBalanced: number;
  pairs: RunPair[];
  /** Out-of-fold (or held-out) flag per run, with its truth, for the per-class table. */
  byState: Map<TruthState, { runs: number; flagged: number }>;
  /** Balanced accuracy of each repeat (cross-validation only). */
  repeats: number[];
}

function label(runs: CorpusRun[]): Labelled[] {
  return runs.map((run) => {
    const t = runTruth(run);
    return { run, unhealthy: t.label === "unhealthy", finalState: t.finalState };
  });
}

/**
 * Flag a run when the forest's vote for "unhealthy" exceeds the share of unhealthy runs it was fitted
 * on: the decision that weighs both classes equally (balanced accuracy), fixed in advance.
 */
function threshold(train: readonly Labelled[]): number {
  return train.filter((r) => r.unhealthy).length / train.length;
}

function crossValidate(data: Labelled[], set: FeatureSet, repeats: number): Scored {
  const rows = data.map((d) => runFeatures(d.run, set));
  const balanced: number[] = [];
  let first: { votes: number[]; flags: boolean[] } | undefined;
  for (let r = 0; r < repeats; r++) {
    const folds = stratifiedFolds(data, FOLDS, 1000 + r);
    const votes = new Array<number>(data.length).fill(Number.NaN);
    const flags = new Array<boolean>(data.length).fill(false);
    for (let f = 0; f < FOLDS; f++) {
      const train = data.map((_, i) => i).filter((i) => folds[i] !== f);
      const forest = fitForest(
        train.map((i) => rows[i]),
        train.map((i) => data[i].unhealthy),
        { trees: TREES, seed: 100 * r + f },
      );
      const cut = threshold(train.map((i) => data[i]));
      data.forEach((_, i) => {
        if (folds[i] !== f) return;
        votes[i] = forest.predict(rows[i]);
        flags[i] = votes[i] > cut;
      });
    }
    const pairs = data.map((d, i) => ({ unhealthy: d.unhealthy, flagged: flags[i] }));
    balanced.push(bootstrapScores(pairs, { resamples: 0 }).point.balancedAccuracy);
    first ??= { votes, flags };
  }
  if (!first) throw new Error("crossValidate: no repeat");
  return scored(`${FOLDS}-fold cross-validation`, data, first.votes, first.flags, balanced);
}

function heldOut(train: Labelled[], test: Labelled[], set: FeatureSet, name: string): Scored {
  const forest = fitForest(
    train.map((d) => runFeatures(d.run, set)),
    train.map((d) => d.unhealthy),
    { trees: TREES, seed: 7 },
  );
  const cut = threshold(train);
  const votes = test.map((d) => forest.predict(runFeatures(d.run, set)));
  return scored(
    name,
    test,
    votes,
    votes.map((v) => v > cut),
    [],
  );
}

function scored(
  name: string,
  data: Labelled[],
  votes: number[],
  flags: boolean[],
  repeats: number[],
): Scored {
  const truth = data.map((d) => d.unhealthy);
  const byState = new Map<TruthState, { runs: number; flagged: number }>();
  data.forEach((d, i) => {
    const s = byState.get(d.finalState) ?? { runs: 0, flagged: 0 };
    s.runs++;
    if (flags[i]) s.flagged++;
    byState.set(d.finalState, s);
  });
  return {
    label: name,
    runs: data.length,
    auc: auc(votes, truth),
    bestBalanced: bestBalanced(votes, truth),
    pairs: data.map((d, i) => ({ unhealthy: d.unhealthy, flagged: flags[i] })),
    byState,
    repeats,
  };
}

/** Each class spread evenly over the folds, in a seeded order. */
function stratifiedFolds(data: readonly Labelled[], k: number, seed: number): number[] {
  const rng = new Rng(seed);
  const folds = new Array<number>(data.length);
  for (const cls of [true, false]) {
    const idx = data.map((d, i) => (d.unhealthy === cls ? i : -1)).filter((i) => i >= 0);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx.forEach((runIndex, n) => {
      folds[runIndex] = n % k;
    });
  }
  return folds;
}

/** Area under the ROC curve: the chance a random unhealthy run gets a higher vote than a healthy one. */
function auc(votes: readonly number[], positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  votes.forEach((v, i) => {
    if (!positive[i]) return;
    votes.forEach((w, j) => {
      if (positive[j]) return;
      pairs++;
      wins += v > w ? 1 : v === w ? 0.5 : 0;
    });
  });
  return pairs > 0 ? wins / pairs : Number.NaN;
}

function bestBalanced(votes: readonly number[], positive: readonly boolean[]): number {
  let best = 0;
  for (const cut of new Set(votes)) {
    const pairs = votes.map((v, i) => ({ unhealthy: positive[i], flagged: v >= cut }));
    best = Math.max(best, bootstrapScores(pairs, { resamples: 0 }).point.balancedAccuracy);
  }
  return best;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}%` : "-");
const ci = (i: Interval, show = f2) => `${show(i.value)} [${show(i.low)}, ${show(i.high)}]`;

function row(set: string, s: Scored): string {
  const { point, intervals } = bootstrapScores(s.pairs);
  const spread =
    s.repeats.length > 1
      ? ` (${s.repeats.length} fold draws: ${f2(Math.min(...s.repeats))}–${f2(Math.max(...s.repeats))})`
      : "";
  return `| ${set} | ${s.label} | ${s.runs} | ${f2(s.auc)} | ${ci(intervals.balancedAccuracy)}${spread} | ${ci(intervals.f1)} | ${ci(intervals.healthyFlagged, pct)} | ${pct(point.recall)} | ${f2(s.bestBalanced)} |`;
}

function stateRow(set: string, s: Scored): string {
  const cells = TRUTH_STATES.map((t) => {
    const c = s.byState.get(t);
    return c ? `${c.flagged} / ${c.runs}` : "-";
  });
  return `| ${set} | ${s.label} | ${cells.join(" | ")} |`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      holdout: {
        type: "string",
        default: "bench/cross-trainer/sealed,bench/cross-trainer/sealed2,bench/cross-trainer/sealed3",
      },
      repeats: { type: "string", default: "5" },
      report: { type: "string", default: "bench/RESULTS-cross-trainer-ceiling.md" },
      // what the figures say, written by hand and appended (kept apart so a rerun keeps it)
      notes: { type: "string", default: "bench/cross-trainer/ceiling-notes.md" },
    },
  });
  const started = Date.now();
  const corpus = label(loadCorpus(CORPUS_DIR));
  const holdouts = (values.holdout ?? "")
    .split(",")
    .filter(Boolean)
    .map((dir) => ({ dir, runs: label(loadCorpus(dir)) }));
  const repeats = Number(values.repeats);
  const results: { set: string; s: Scored }[] = [];
  const names: Record<FeatureSet, string> = {
    losses: "losses only",
    "losses-blind": "losses only, family not named",
    all: "every logged tag",
  };
  for (const set of ["losses", "losses-blind", "all"] as const) {
    const name = names[set];
    results.push({ set: name, s: crossValidate(corpus, set, repeats) });
    for (const h of holdouts) {
      results.push({
        set: name,
        s: heldOut(corpus, h.runs, set, `fitted on the corpus, scored on ${h.dir}`),
      });
    }
  }
  const lines = [
    "# How much can the losses tell? A fitted ceiling for the cross-trainer corpus",
    "",
    "Generated by `node --import tsx bench/cross-trainer/ceiling.ts` (seeded: a rerun prints the same",
    `figures) from the committed corpus (${corpus.length} runs, \`${CORPUS_DIR}\`) and the sealed runs; it took`,
    `${((Date.now() - started) / 1000).toFixed(0)} s. What it is and why: the header of \`bench/cross-trainer/ceiling.ts\`.`,
    "",
    `A random forest (${TREES} trees, √d features per split, Gini, depth ≤ 12) fitted to each run's series`,
    `summarised (${featureNames("losses").length} numbers from the losses, ${featureNames("all").length} from every tag: each series' level in`,
    "each quarter against the family's equilibrium, its spread, range, last values and non-finite share;",
    "the family; the length), flagging a run when its vote for unhealthy exceeds the share of unhealthy",
    "runs it was fitted on. Unhealthy is the positive class; truth from the samples (`labels.ts`,",
    "primary rules); 95% bootstrap intervals over runs. The last column cuts the votes wherever gives",
    "the best balanced accuracy, the cut chosen knowing the truth: a bound, not a figure.",
    "",
    "| series read | scored on | runs | AUC | balanced accuracy | F1 | healthy runs flagged | recall | best balanced accuracy at any cut |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map((r) => row(r.set, r.s)),
    "",
    "Runs flagged, by their truth at the end (out of fold, or held out):",
    "",
    `| series read | scored on | ${TRUTH_STATES.join(" | ")} |`,
    `| --- | --- | ${TRUTH_STATES.map(() => "---").join(" | ")} |`,
    ...results.map((r) => stateRow(r.set, r.s)),
    "",
  ];
  const notes = values.notes && existsSync(values.notes) ? readFileSync(values.notes, "utf8") : "";
  writeFileSync(values.report ?? "", `${lines.join("\n")}\n${notes}`);
  // The repo's formatter pads markdown tables; written as it keeps them, the file passes `biome check`.
  spawnSync("npx", ["biome", "format", "--write", values.report ?? ""], { stdio: "ignore" });
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();
