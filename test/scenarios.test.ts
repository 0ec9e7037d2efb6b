import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { replay } from "../bench/scenarios/detector.ts";
import { applioDetector, checkOvertraining } from "../bench/scenarios/detector-applio.ts";
import { MONITOR_LOSSES_ONLY, suiteDetectors } from "../bench/scenarios/detector-list.ts";
import { naiveDetector } from "../bench/scenarios/detector-naive.ts";
import { evaluateSuite } from "../bench/scenarios/evaluate-suite.ts";
import { labelRun, STRICT_RULES, windowTruth } from "../bench/scenarios/labels.ts";
import { loadRun, type SavedRun } from "../bench/scenarios/run-data.ts";
import { runName } from "../bench/scenarios/scenario-table.ts";
import {
  binaryScores,
  detectionStep,
  episodes,
  firstNamed,
  runLevelScores,
  type ScoredRun,
  windowScores,
} from "../bench/scenarios/scoring.ts";
import { trainScenario } from "../bench/scenarios/train-scenario.ts";
import { WINDOWS_FILE, type WindowRecord } from "../bench/scenarios/window-record.ts";
import { DEFAULT_CONFIG } from "../src/train/config.ts";
import type { StepMetrics } from "../src/train/trainer.ts";

/**
 * The scenario suite in small: three scenarios on ring8 with tiny networks and 300 steps, trained
 * in-process, labelled, replayed through every detector and scored; and the labels, the scores and
 * Applio's detector on hand-made numbers where the right answer is known.
 */

const root = mkdtempSync(join(tmpdir(), "nashboard-scenarios-"));
after(() => rmSync(root, { recursive: true, force: true }));

const SIZES = { steps: 300, evalInterval: 50, logInterval: 10 };
const TINY = { gHidden: [32, 32], dHidden: [32, 32], batch: 64, evalSamples: 500 };
const SMALL = ["sgd_huge_lr", "d_strong", "healthy"] as const;
const runs = new Map<string, SavedRun>();

before(async () => {
  for (const scenario of SMALL) {
    const id = runName(scenario, "ring8", 0);
    const dir = join(root, id);
    await trainScenario({ scenario, dataset: "ring8", seed: 0, sizes: SIZES, base: TINY }, dir);
    runs.set(scenario, loadRun(dir, id));
  }
});

test("each run records one window per evaluation, ending at the run's last step", () => {
  for (const run of runs.values()) {
    assert.deepEqual(
      run.windows.map((w) => w.step),
      [50, 100, 150, 200, 250, 300],
    );
    assert.equal(readFileSync(join(run.dir, WINDOWS_FILE), "utf8").trim().split("\n").length, 6);
    assert.equal(run.metrics.length, 30);
  }
});

test("SGD at lr 3 is labelled diverged from its first window, from the networks, not the losses", () => {
  const run = runs.get("sgd_huge_lr") as SavedRun;
  const truth = labelRun(run.windows);
  assert.equal(truth.label, "unhealthy");
  assert.equal(truth.finalState, "diverged");
  assert.equal(truth.onsetStep, 0);
  assert.ok(run.windows.every((w) => windowTruth(w) === "diverged"));
  assert.ok(
    run.windows.some((w) => w.weightsNonFinite),
    "its weights went NaN",
  );
});

test("lr_d 10x with 3 D steps is labelled unhealthy: G ends on at most half the modes, its fakes caught", () => {
  const run = runs.get("d_strong") as SavedRun;
  const truth = labelRun(run.windows);
  assert.equal(truth.label, "unhealthy");
  assert.notEqual(truth.finalState, "diverged");
  const last = run.windows.at(-1) as WindowRecord;
  assert.ok(last.modes <= 4, `modes ${last.modes}`);
  assert.ok(last.dAccFake >= 0.95, `D's accuracy on fresh fakes ${last.dAccFake}`);
});

test("the whole pipeline scores the small suite: the monitor flags both failing runs in their first half", () => {
  const ev = evaluateSuite([...runs.values()], { trainSeeds: [0], checkEvery: 20 });
  assert.equal(ev.runs.length, 3);
  for (const scenario of ["sgd_huge_lr", "d_strong"]) {
    const mon = ev.runs.find((r) => r.scenario === scenario)?.detectors[MONITOR_LOSSES_ONLY];
    assert.equal(mon?.final, "unhealthy", scenario);
    assert.ok(
      mon?.detectionStep !== null && (mon?.detectionStep as number) <= 150,
      `${scenario} ${mon?.detectionStep}`,
    );
  }
  // Fed every tag, the monitor sees the NaN gradient norms in every window of the SGD run; from the
  // losses alone it sees the explosion, then losses pinned at the equilibrium (G's NaN points turn into
  // constant D outputs): diverged first, stalled later.
  const all = ev.detectors.find((d) => d.name === "monitor, all tags");
  const diverged = all?.windows.find((x) => x.state === "diverged");
  assert.deepEqual([diverged?.truthWindows, diverged?.recall, diverged?.precision], [6, 1, 1]);
  const losses = ev.detectors.find((d) => d.name === MONITOR_LOSSES_ONLY);
  const stretch = losses?.latencies?.find((l) => l.state === "diverged");
  assert.deepEqual([stretch?.episodes, stretch?.detected], [1, 1]);
  // every detector replayed every run
  assert.equal(ev.detectors.length, suiteDetectors().length);
  for (const d of ev.detectors) assert.equal(d.runLevel.all.unhealthy?.runs, 3);
});

const w = (over: Partial<WindowRecord>): WindowRecord => ({
  step: 100,
  modes: 8,
  modes_total: 8,
  hq: 0.6,
  reverse_kl: 0.01,
  jsd: 0.05,
  dAccReal: 0.7,
  dAccFake: 0.7,
  weightsNonFinite: false,
  samplesNonFinite: 0,
  sampleScale: 0.7,
  dOutputSpread: 1.5,
  sampleSpread: 0.4,
  lossNonFinite: false,
  ...over,
});

test("window labels: each rule on a hand-made window, in order", () => {
  assert.equal(windowTruth(w({})), "balanced");
  assert.equal(windowTruth(w({ weightsNonFinite: true })), "diverged");
  assert.equal(windowTruth(w({ sampleScale: 12 })), "diverged");
  assert.equal(windowTruth(w({ dAccReal: Number.NaN })), "diverged");
  assert.equal(windowTruth(w({ lossNonFinite: true })), "balanced", "the logged losses never decide");
  assert.equal(windowTruth(w({ modes: 4 })), "collapse");
  assert.equal(windowTruth(w({ modes: 5 })), "balanced");
  assert.equal(windowTruth(w({ hq: 0.1, dOutputSpread: 0 })), "stalled", "a dead D");
  assert.equal(windowTruth(w({ hq: 0.1, sampleSpread: 0, dAccReal: 0.99, dAccFake: 0.99 })), "stalled");
  assert.equal(windowTruth(w({ dOutputSpread: 0 })), "balanced", "good samples stay good");
  assert.equal(windowTruth(w({ hq: 0.1, dAccReal: 0.99, dAccFake: 0.96 })), "d_dominant");
  assert.equal(windowTruth(w({ hq: 0.1, dAccReal: 0.55, dAccFake: 0.6 })), "g_dominant");
  assert.equal(windowTruth(w({ hq: 0.1, dAccReal: 0.9, dAccFake: 0.6 })), "poor");
  assert.equal(windowTruth(w({ modes: 6, hq: 0.6 }), STRICT_RULES), "collapse");
  assert.equal(windowTruth(w({ modes: 7, hq: 0.6 }), STRICT_RULES), "balanced");
  assert.equal(windowTruth(w({ modes: 8, hq: 0.4 }), STRICT_RULES), "poor");
});

test("run labels: the last window decides, the onset is the start of the final unhealthy stretch", () => {
  const steps = [100, 200, 300, 400];
  const run = (hqs: number[]) =>
    labelRun(hqs.map((hq, i) => w({ step: steps[i], hq, dAccReal: 0.99, dAccFake: 0.99 })));
  assert.deepEqual(
    { ...run([0.1, 0.5, 0.5, 0.5]), windows: undefined },
    {
      label: "healthy",
      finalState: "balanced",
      onsetStep: null,
      windows: undefined,
    },
  );
  const late = run([0.5, 0.1, 0.5, 0.1]);
  assert.equal(late.label, "unhealthy");
  assert.equal(late.finalState, "d_dominant");
  assert.equal(late.onsetStep, 300);
  assert.equal(run([0.1, 0.1, 0.1, 0.1]).onsetStep, 0);
});

test("binary scores and F1 on counted examples", () => {
  const pairs = [
    ...Array(6).fill({ truth: true, predicted: true }),
    ...Array(2).fill({ truth: true, predicted: false }),
    ...Array(1).fill({ truth: false, predicted: true }),
    ...Array(3).fill({ truth: false, predicted: false }),
  ];
  const b = binaryScores(pairs);
  assert.deepEqual([b.tp, b.fn, b.fp, b.tn], [6, 2, 1, 3]);
  assert.equal(b.precision, 6 / 7);
  assert.equal(b.recall, 6 / 8);
  assert.ok(Math.abs(b.f1 - (2 * 6) / (2 * 6 + 1 + 2)) < 1e-12);
});

test("run-level detection: flagged for good, latency from the onset, first-half rate, transient alarms", () => {
  const truthU = labelRun([w({ step: 500, hq: 0.5 }), w({ step: 1000, hq: 0.1 })]); // onset 500
  const truthH = labelRun([w({ step: 500 }), w({ step: 1000 })]);
  const trace = (healths: ("healthy" | "unhealthy")[], final: "healthy" | "unhealthy") => ({
    detector: "x",
    windows: [
      { step: 500, problem: false },
      { step: 1000, problem: final === "unhealthy" },
    ],
    checks: [...healths.map((health, i) => ({ step: 200 * (i + 1), health })), { step: 1000, health: final }],
    stateChanges: [],
    final,
  });
  assert.equal(
    detectionStep(trace(["unhealthy", "healthy", "unhealthy", "unhealthy"], "unhealthy").checks, "unhealthy"),
    600,
  );
  const runs: ScoredRun[] = [
    {
      id: "caught",
      steps: 1000,
      truth: truthU,
      trace: trace(["healthy", "healthy", "unhealthy", "unhealthy"], "unhealthy"),
    },
    {
      id: "missed",
      steps: 1000,
      truth: truthU,
      trace: trace(["healthy", "healthy", "healthy", "healthy"], "healthy"),
    },
    {
      id: "alarm",
      steps: 1000,
      truth: truthH,
      trace: trace(["unhealthy", "healthy", "healthy", "healthy"], "healthy"),
    },
  ];
  const s = runLevelScores(runs, "unhealthy");
  assert.deepEqual([s.tp, s.fn, s.fp, s.tn], [1, 1, 0, 1]);
  assert.deepEqual(s.detections, [{ id: "caught", step: 600, latency: 100, fraction: 0.6, onset: 500 }]);
  assert.equal(s.firstHalfEligible, 2);
  assert.equal(s.firstHalfRate, 0, "detected at 600 of 1000: not in the first half");
  assert.equal(s.transientFalseAlarms, 1);
});

test("per-window state scores and the first naming of a state inside a truth stretch", () => {
  const truth = labelRun([
    w({ step: 100, hq: 0.1, dAccReal: 0.99, dAccFake: 0.99 }),
    w({ step: 200, hq: 0.1, dAccReal: 0.99, dAccFake: 0.99 }),
    w({ step: 300 }),
    w({ step: 400, modes: 2 }),
  ]);
  assert.deepEqual(episodes(truth), [
    { state: "d_dominant", fromStep: 0, toStep: 200 },
    { state: "collapse", fromStep: 300, toStep: 400 },
  ]);
  const changes = [
    { step: 20, state: "warmup" as const },
    { step: 140, state: "d_dominant" as const },
    { step: 380, state: "collapse_suspected" as const },
  ];
  assert.equal(firstNamed(changes, "d_dominant", 0, 200), 140);
  assert.equal(firstNamed(changes, "collapse", 300, 400), 380);
  assert.equal(firstNamed(changes, "d_dominant", 200, 300), 200, "already named when the stretch began");
  assert.equal(firstNamed(changes, "diverged", 0, 400), null);
  const scores = windowScores([
    {
      id: "r",
      steps: 400,
      truth,
      trace: {
        detector: "x",
        windows: [
          { step: 100, state: "warmup", problem: false },
          { step: 200, state: "d_dominant", problem: true },
          { step: 300, state: "d_dominant", problem: true },
          { step: 400, state: "collapse_suspected", problem: true },
        ],
        checks: [],
        stateChanges: changes,
        final: "unhealthy",
      },
    },
  ]);
  const get = (s: string) => scores.find((x) => x.state === s);
  assert.deepEqual([get("d_dominant")?.precision, get("d_dominant")?.recall], [0.5, 0.5]);
  assert.deepEqual([get("collapse")?.precision, get("collapse")?.recall], [1, 1]);
  assert.deepEqual([get("any problem")?.precision, get("any problem")?.recall], [2 / 3, 2 / 3]);
});

test("Applio's check_overtraining: a rise, a fall of eps, all tiny, too short", () => {
  assert.equal(checkOvertraining([5, 4, 3], 3), false, "fewer than threshold + 1 values");
  // the last threshold - 1 differences, oldest first: 4 -> 4.5 rises before 4.5 -> 3 falls
  assert.equal(checkOvertraining([5, 4, 4.5, 3], 3), true, "a rise first");
  assert.equal(
    checkOvertraining([5, 4, 3, 3.5], 3),
    false,
    "a fall of at least eps first: the rise is never reached",
  );
  assert.equal(
    checkOvertraining([9, 5, 4, 3], 3),
    false,
    "the oldest examined change is a fall of at least eps",
  );
  assert.equal(checkOvertraining([9, 5, 4.999, 4.998], 3), true, "every examined change tiny");
  // only the last threshold - 1 differences count: the big fall 9 -> 5 is outside them
  assert.equal(checkOvertraining([9, 5, 5, 5], 3), true);
});

test("Applio's detector fires when the smoothed running minimum of loss_gen stops falling", () => {
  const config = { ...DEFAULT_CONFIG };
  const step = (i: number, gen: number, disc = 1.3): StepMetrics => ({
    step: 20 * i,
    wall_time: 0,
    loss_disc: disc,
    loss_gen: gen,
    d_real: 0.5,
    d_fake: 0.5,
    lr_d: 1e-3,
    lr_g: 1e-3,
    grad_norm_d: 1,
    grad_norm_g: 1,
  });
  // loss_gen flat at 0.7: the minimum never moves, so from epoch 2 + 5 on every check says "tiny"
  const flat = Array.from({ length: 40 }, (_, i) => step(i + 1, 0.7));
  const t = replay(applioDetector(5), config, flat, [800], 20);
  assert.equal(t.final, "unhealthy");
  // the first check possible at history length 6 (epoch 7), then 5 consecutive: epoch 11, step 220
  assert.equal(detectionStep(t.checks, "unhealthy"), 220);
  // both falling steeply: their smoothed values fall by more than eps every epoch, so it never fires
  const falling = Array.from({ length: 40 }, (_, i) => step(i + 1, 10 - 2 * i, 100 - 3 * i));
  assert.equal(replay(applioDetector(5), config, falling, [800], 20).final, "healthy");
});

test("the naive rule: NaN is diverged, loss_disc below a tenth of 2 ln 2 is D winning, and it latches", () => {
  const base: StepMetrics = {
    step: 0,
    wall_time: 0,
    loss_disc: 1.3,
    loss_gen: 0.7,
    d_real: 0.5,
    d_fake: 0.5,
    lr_d: 1e-3,
    lr_g: 1e-3,
    grad_norm_d: 1,
    grad_norm_g: 1,
  };
  const metrics = [
    { ...base, step: 20 },
    { ...base, step: 40, loss_disc: 0.13 },
    { ...base, step: 60 },
    { ...base, step: 80, loss_gen: Number.NaN },
  ];
  const t = replay(naiveDetector(), DEFAULT_CONFIG, metrics, [20, 40, 60, 80], 20);
  assert.deepEqual(
    t.windows.map((x) => x.state),
    ["balanced", "d_dominant", "balanced", "diverged"],
  );
  assert.equal(detectionStep(t.checks, "unhealthy"), 40);
});
