/** English: the reference catalogue. Every key here must exist in zh.ts with the same parameters. */
import type { EvalResult } from "../eval/index.ts";
import { fmtLr } from "./monitor-en.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

export const en = {
  cliDescription:
    "Shows whether a GAN's two players are still playing the game: train, watch and diagnose GANs.",
  errorPrefix: "error",
  optLang: "language of the output (default: from the locale)",
  cmdTrain: "train a GAN on a 2D dataset and write a run directory",
  cmdDemo: "train the default GAN on ring8 and explain what happened (about a minute)",
  optDataset: (names: string) => `dataset: one of ${names}, or a CSV file of 2D points`,
  optSteps: "generator updates (each after --d-steps discriminator updates)",
  optSeed: "random seed: the same seed gives the same run",
  optLoss: "loss family",
  optOptimizer: "optimizer for both networks",
  optLrD: "discriminator learning rate",
  optLrG: "generator learning rate",
  optBeta1: "Adam beta1",
  optBeta2: "Adam beta2",
  optDSteps: "discriminator updates per generator update",
  optLatent: "size of the generator's noise input",
  optGHidden: "generator hidden layer widths, e.g. 128,128",
  optDHidden: "discriminator hidden layer widths, e.g. 128,128",
  optGActivation: "generator activation",
  optDActivation: "discriminator activation",
  optBatch: "batch size (real and generated)",
  optLogInterval: "log metrics every n steps",
  optEvalInterval: "run the evaluator every n steps (0: only at the end)",
  optEvalSamples: "generated samples per evaluation (the papers use 2500)",
  optCheckpointInterval: "write a checkpoint every n steps (0: only at the end)",
  optOut: "run directory (default: runs/<dataset>-<loss>-s<seed>-<time>)",
  optResume: "continue the run in this directory from its last checkpoint",
  optJson: "print one JSON object with the config and the evaluator's results at the end",
  /** stepsPerSec is left out until two steps have been timed (the first line has no rate to show). */
  progress: (p: { step: number; total: number; lossDisc: number; lossGen: number; stepsPerSec?: number }) =>
    `step ${p.step}/${p.total}  loss_disc ${num(p.lossDisc)}  loss_gen ${num(p.lossGen)}${p.stepsPerSec === undefined ? "" : `  ${p.stepsPerSec.toFixed(0)} steps/s`}`,
  training: (dataset: string, loss: string, dir: string) =>
    `Training a GAN on ${dataset} (${loss} loss) into ${dir}`,
  resuming: (dir: string) => `Resuming the run in ${dir} from its last checkpoint`,
  rejecting: (share: number) =>
    `Samples are shown and evaluated through D: of G's samples, the ${pct(share)} D scores least real are discarded.`,
  evalLine: (e: EvalResult & { step: number }) =>
    e.modes !== undefined
      ? `step ${e.step}: ${e.modes}/${e.modes_total} modes, ${pct(e.hq ?? 0)} high-quality samples, reverse KL ${num(e.reverse_kl ?? Number.NaN)}, JSD ${num(e.jsd)} nats`
      : `step ${e.step}: JSD ${num(e.jsd)} nats`,
  finished: (steps: number, seconds: number, dir: string) =>
    `Done: ${steps} steps in ${seconds.toFixed(1)} s (${(steps / Math.max(seconds, 1e-9)).toFixed(0)} steps/s). Run directory: ${dir}`,
  interrupted: (steps: number, dir: string) =>
    `Stopped at step ${steps}; a checkpoint is saved. Continue with: nashboard train --resume ${dir}`,
  alreadyComplete: (steps: number, dir: string) =>
    `The run in ${dir} already completed its ${steps} steps; nothing to do. Give --steps to extend it.`,
  staleLock: (lockPath: string, pid: number, host: string, started: string) =>
    `Took over ${lockPath}: the trainer that held it (pid ${pid} on ${host}, since ${started}) no longer runs.`,
  restarting: (dir: string, steps: number, files: string) =>
    `${dir} holds ${steps} logged steps but no checkpoint (the run stopped before its first one): restarting it from step 0 after emptying ${files}.`,
  ioNoSpace: (path: string) =>
    `cannot write ${path}: the disk is full (ENOSPC); free some space, then continue the run with --resume`,
  ioDenied: (path: string, code: string) =>
    `cannot write ${path}: permission denied (${code}); make its directory writable or choose another --out`,
  ioReadOnly: (path: string) =>
    `cannot write ${path}: the file system is read-only (EROFS); choose an --out on a writable disk, or remount it and continue with --resume`,
  ioVanished: (path: string, code: string) =>
    `cannot write ${path}: its directory no longer exists (${code}; moved or deleted during the run); choose another --out`,
  ioOther: (path: string, code: string) =>
    `cannot use ${path} (${code}); check the disk, then continue the run with --resume`,
  outOfMemory: (detail: string) =>
    `the tfjs-wasm backend ran out of memory (${detail}); use a smaller --batch, --g-hidden or --d-hidden`,
  demoIntro:
    "Nashboard demo: a generator learns to imitate 8 small Gaussian blobs on a circle (ring8) while a discriminator learns to tell its points from real ones.",
  /** The settings the demo trains with, each as a phrase (joined by demoSettings). */
  demoSettings: (parts: string[]) =>
    `It trains with the settings that keep this game balanced (bench/RESULTS-steer.md): ${parts.join(", ")}.`,
  demoR1: (gamma: number) =>
    `an R1 penalty that keeps D's judgement smooth around real points (--r1 ${gamma})`,
  demoRates: (lrD: number, lrG: number) => `learning rates ${fmtLr(lrD)} for D and ${fmtLr(lrG)} for G`,
  demoDecay: (fraction: number) =>
    `both falling over the last ${Math.round(100 * fraction)}% of the run, so the players settle (--lr-decay ${fraction})`,
  demoLatent: (n: number) => `a ${n}-D noise input for G (--latent ${n})`,
  demoWhatHappened: "What happened:",
  // The closing suggestion: something the run just shown did not show (issue 15)
  demoWatch: (dir: string) =>
    `The metrics of every logged step are in ${dir}/metrics.jsonl; to see them drawn: nashboard watch ${dir}.`,
  demoNextBreak:
    "Next, see the balance break: nashboard train --lr-d 1e-2 --d-steps 3 (train's plain settings with a discriminator ten times too fast: it wins), then nashboard demo --compare (the controller steering such a run back).",
  demoNextDWon:
    "The discriminator won this game. See the controller steer such a run back to balance: nashboard demo --compare.",
  demoNextSteer:
    "This game went wrong. See the controller steer a broken run back to balance: nashboard demo --compare.",
  summaryModes: (modes: number, total: number, hq: number) =>
    `The generator's points land on ${modes} of the ${total} modes; ${pct(hq)} of them are high quality (within 3 standard deviations of a mode).`,
  summaryAllModes: "Every mode is covered: no mode collapse.",
  summaryCollapse: "Mode collapse: the generator puts almost everything on a few modes and ignores the rest.",
  summaryPartial: (missing: number) =>
    `Partial mode collapse: ${missing} mode(s) get no high-quality sample. Longer training, feature matching or a minibatch-diversity term usually help.`,
  summaryLowQuality: "Most samples fall between modes: the generator has not (yet) learned sharp modes.",
  summaryJsd: (jsd: number) =>
    `Jensen-Shannon divergence between real and generated points (grid estimate): ${num(jsd)} nats (0 = identical, ln 2 = 0.693 = nothing in common).`,
  summaryDOutputs: (dReal: number, dFake: number) =>
    `At the end the discriminator gave real points ${num(dReal)} and generated points ${num(dFake)} on average (1 = "surely real").`,
  summaryNearEquilibrium:
    "Both are close to 1/2: the discriminator can barely tell real from generated, which is the equilibrium a GAN aims for.",
  summaryDAhead:
    "The discriminator still tells them apart somewhat: it is ahead, which is common and not a failure.",
  summaryDWins:
    "The discriminator separates them easily: it is winning, and the generator may be starved of useful gradient.",
  summaryLosses: (ld: number, lg: number, eqd: number, eqg: number | null) =>
    `loss_disc ended near ${num(ld)} (equilibrium ${num(eqd)}) and loss_gen near ${num(lg)}${eqg === null ? "" : ` (equilibrium ${num(eqg)})`}.`,
  summaryNotZero:
    "Note: in a GAN, loss_disc and loss_gen are not meant to fall to zero; at the ideal balance they sit at the equilibrium values.",
  // nashboard analyze: reading logs (src/cli/analyze-command.ts, analyze-summary.ts, read-progress.ts)
  cmdAnalyze: "read training logs (a file, a run directory or a directory of runs) and say what was read",
  argAnalyzePath: "a log file, a run directory (RVC logs/<exp>, a trainer run) or a directory of runs",
  optExplain:
    "after the report, the rule behind every state of the timeline with each number it compared and its threshold, and how the verdict weighed them",
  optSeries: "list the runs found, their series (points, first and last step, NaN count) and every problem",
  optAnalyzeJson: "print the same as one JSON object",
  optFormat: "read logs as this format instead of detecting it",
  errPathNotFound: (path: string) => `no such file or directory: ${path}`,
  errUnknownFormat: (path: string, formats: string) =>
    `cannot tell the format of ${path}; name it with --format (one of ${formats})`,
  errEmptyFile: (path: string) => `${path} is empty: there is nothing to read yet`,
  lossLineAt: (line: number, text: string) => `line ${line}: ${text}`,
  errNoLosses: (path: string, read: string, tried: string, lossLike: string | undefined) =>
    `no D or G loss read from ${path} (${read}; tried ${tried})` +
    (lossLike ? `; the first line that looks like a loss line: ${lossLike}` : "") +
    `; name D's and G's keys or columns with --d-tag NAME --g-tag NAME (and the step with --step-tag NAME)`,
  noLossesReadAs: (format: string) => `read as ${format}`,
  noLossesFound: (format: string, tags: string) =>
    `read as ${format}, which gave ${tags} but no D or G adversarial loss`,
  noLossesUnknown: "no format read a D or G loss from its first lines",
  errSkippedNoLosses: (id: string, format: string) =>
    `skipped ${id} (${format}): no D or G loss read from it; --d-tag / --g-tag name them`,
  optDTag: "the key or column that is D's loss, in any format (e.g. --d-tag 'Dis loss')",
  optGTag: "the key or column that is G's loss, in any format (e.g. --g-tag errG)",
  optStepTag: "the key or column that is the step, in any text format",
  errStdinTerminal:
    "'-' reads a log from standard input: pipe or paste one into it (cat train.log | nashboard analyze -)",
  htmlWritten: (file: string, runs: number) =>
    `wrote ${file}: the report of ${runs} run(s), one self-contained page`,
  optVersion: "print the version and exit",
  detectedBy: (format: string, confidence: string, line: string | undefined) =>
    `read as ${format} (${confidence})${line ? `, from ${line}` : ""}`,
  detectionTried: (tried: string) => `formats tried on the first lines (D/G loss points read): ${tried}`,
  errNoRuns: (path: string) =>
    `no training logs under ${path} (looked for event files, train.log, metrics.jsonl and .log/.txt/.csv/.jsonl logs)`,
  readingProgress: (readMb: number, totalMb: number, mbPerSec: number) =>
    `reading logs: ${readMb.toFixed(1)} of ${totalMb.toFixed(1)} MB, ${mbPerSec.toFixed(0)} MB/s`,
  analyzeTotals: (runs: number, series: number, points: number) =>
    `${runs} run(s), ${series} series, ${points} points`,
  analyzeRun: (id: string, format: string, files: number) => `Run ${id} (${format}, ${files} file(s))`,
  analyzeFile: (path: string, format: string, role: string) => `file ${path} (${format}, ${role})`,
  analyzeLossFamily: (family: string) => `loss family: ${family}`,
  analyzeDiscriminators: (k: number) => `sub-discriminators: ${k}`,
  analyzeCheckpoints: (n: number, last: string) => `${n} checkpoint save(s) logged, the last ${last}`,
  analyzeNote: (note: string) => `note: ${note}`,
  analyzeSeriesColumns: {
    tag: "tag",
    sourceTag: "source tag",
    points: "points",
    firstStep: "first step",
    lastStep: "last step",
    nan: "NaN",
  },
  analyzeNoSeries: "no scalar series read",
  analyzeProblems: (n: number) => `${n} problem(s) met while reading:`,
  analyzeNoProblems: "no problems met while reading",
  analyzeAtLine: (path: string, line: number) => `${path}, line ${line}`,
  analyzeAtByte: (path: string, offset: number) => `${path}, byte ${offset}`,
  analyzeFatal: "(the rest of this file was not read)",
  analyzeSkipped: (path: string) => `skipped ${path}: not a log format Nashboard knows (try --format)`,
  analyzeUnreadable: (path: string) => `skipped ${path}: cannot be read`,
  optAnalyzeLoss: "the loss family of the run (default: from the log; RVC and VITS are lsgan)",
  optDiscriminators: "number of sub-discriminators K (RVC v1: 7, v2 and Applio: 9, so-vits-svc and VITS: 6)",
  optHtml: "also write the report as one self-contained HTML file",
  monitorState: (step: number, state: string, confidence: number) =>
    `step ${step}: the monitor now reads ${state} (confidence ${confidence.toFixed(2)})`,
  monitorAlert: (step: number, message: string) => `step ${step}: ${message}`,
  monitorVerdict: (health: string, summary: string) => `Balance: ${health}. ${summary}`,
  optController: "let the controller steer lr_d and lr_g to hold the balance (see src/control)",
  controlLine: (step: number, param: string, from: number, to: number, reason: string) =>
    `step ${step}: controller set ${param} ${from.toExponential(2)} -> ${to.toExponential(2)} (${reason})`,
  controlReason: {
    diverged: "the run is diverging: smaller steps for both",
    d_ahead: "the discriminator is ahead",
    g_ahead: "the generator is ahead",
    balanced: "balanced",
    no_signal: "no signal yet",
    unsure: "the monitor is not sure of a problem: holding",
    settle: "balanced for long: both rates eased together so the samples settle",
    finish: "a rescued run's last stretch of its budget: both rates eased together so the samples settle",
  },
  // nashboard watch and train --serve: the live dashboard (src/cli/watch-command.ts, src/server/)
  cmdWatch: "serve a live dashboard of the runs under PATH (a run directory, an RVC experiment, a logdir)",
  argWatchPath: "a log file, a run directory or a directory of runs; followed as it grows",
  optServe: "also serve the live dashboard of this run (see nashboard watch)",
  optPort: "port of the dashboard (default: a free port)",
  optHost: "address to listen on (default 127.0.0.1); any --host requires the printed token",
  dashboardUrl: (url: string) => `Dashboard: ${url}`,
  dashboardToken: "Open the address above: it carries the access token, shown only this once.",
  dashboardRuns: (n: number) => `Watching ${n} run(s); Ctrl-C stops.`,
  dashboardStopped: "Dashboard stopped.",
  // the server's limits (src/server/limits.ts): the reason sent with a 503 or a dropped event stream
  dashboardBusy: (max: number) => `the dashboard already holds its ${max} connections; try again shortly`,
  dashboardPagesFull: (max: number) =>
    `the dashboard already serves ${max} live pages; close one of them and reload this one`,
  dashboardDropped: (kib: number) =>
    `this page fell more than ${kib} KiB behind the live updates and was disconnected; it reconnects and reloads`,
  // nashboard train and demo: the collapse remedies (src/train/remedies.ts) and demo --compare
  optFeatureMatching:
    "weight of feature matching in G's loss: match the mean of D's last hidden layer on real and generated data (0: off)",
  optMinibatchStd: "give D the batch's standard deviation as a feature, so it can see a collapsed batch",
  optPack: "PacGAN packing: D judges this many samples at once (1: off; the batch must be a multiple)",
  optR1: "R1 penalty weight gamma on D's gradient at real data (0: off; 10 is common)",
  optGradientPenalty: "WGAN-GP penalty weight lambda (0: off; 10 in the paper)",
  optSpectralNorm: "spectral normalisation of every D layer",
  optLabelSmoothing:
    "one-sided label smoothing: D's target for real data is 1 minus this (0: off; 0.1 is common)",
  controlDStepsLine: (step: number, from: number, to: number, reason: string) =>
    `step ${step}: controller set D updates per step ${from} -> ${to} (${reason})`,
  controlUrgent: (reason: string) => `${reason}, far: a bigger step at once`,
  optLrDecay:
    "both learning rates fall linearly to 1% over this final fraction of the run (0: constant; e.g. 0.5)",
  optGEma:
    "show and evaluate samples from a moving average of G's weights with this beta (0: off; e.g. 0.999)",
  optReject:
    "show and evaluate samples through D: it discards this share of G's samples, the ones it scores least real (0: off; e.g. 0.05)",
  controlR1Line: (step: number, from: number, to: number, reason: string) =>
    `step ${step}: controller set the R1 penalty's weight ${from} -> ${to} (${reason})`,
  optCompare:
    "train the plain and the controlled GAN side by side on a broken setting (by default lr_d x10 with 3 D steps) and compare",
  demoCompareIntro: (broken: string) =>
    `Nashboard demo --compare: the same GAN trained twice on a deliberately broken setting (${broken}), once as it is and once with the controller steering it. Both train at the same time, one per core.`,
  demoCompareBroken: (lrD: number, dSteps: number) =>
    `the discriminator's learning rate ${lrD} and ${dSteps} discriminator updates per generator update`,
  demoCompareWaiting: "Training both runs; this takes a few minutes...",
  demoComparePlain: "Without the controller",
  demoCompareControlled: "With the controller",
  demoCompareDone: (label: string, seconds: number) => `${label}: finished in ${seconds.toFixed(0)} s.`,
  demoCompareResult: (label: string, modes: number, total: number, hqPercent: number, health: string) =>
    `${label}: the generator covers ${modes} of the ${total} modes and ${hqPercent.toFixed(0)}% of its samples are high quality; the monitor's verdict: ${health}.`,
  demoCompareAdjustments: (n: number, first: number) =>
    `The controller made ${n} adjustment(s), the first at step ${first}; each is a line of control.jsonl.`,
  demoCompareNoAdjustments: "The controller saw nothing to correct and changed nothing.",
  demoCompareBetter: (gain: number) =>
    `The controller kept ${gain} more mode(s) alive: it caught the runaway discriminator early, slowed it and regularised it before the generator collapsed onto a few modes.`,
  demoCompareWorse: (loss: number) =>
    `This time the controlled run covers ${loss} mode(s) fewer: steering cannot undo everything, and one seed is one draw.`,
  demoCompareSame: (hqGainPercent: number) =>
    `Both runs cover the same number of modes; the controlled run's high-quality share differs by ${hqGainPercent.toFixed(0)} points.`,
  demoCompareWhere: (dir: string) =>
    `Both runs are under ${dir}; watch them side by side with: nashboard watch ${dir}`,
  // Samples: the images and audio clips event files log (analyze --series, the HTML report; issue 18)
  analyzeSamples: (tags: number, samples: number) =>
    `${tags} image / audio tag(s), ${samples} sample(s) logged (bytes left in the event files):`,
  analyzeSamplesColumns: { tag: "tag", kind: "kind", count: "samples", steps: "steps" },
  sampleKinds: { image: "image", audio: "audio" } as Record<"image" | "audio", string>,
  /** `shown`: the steps listed; `more`: how many between the last two listed were left out. */
  analyzeSampleSteps: (shown: string, more: number) =>
    more > 0 ? `${shown} (${more} more before the last)` : shown,
  reportSamplesTitle: "What the candidates look and sound like",
  reportSamplesIntro: (clipKiB: number, totalMiB: number) =>
    `For each candidate, the image and audio samples logged at the nearest step. Clips up to ${clipKiB} KiB are embedded and play here; larger ones, and anything past ${totalMiB} MiB of embedded samples in this page, are named with their step only.`,
  reportSampleAt: (tag: string, step: number, wanted: number) =>
    step === wanted ? `${tag}, step ${step}` : `${tag}, step ${step} (the nearest to ${wanted})`,
  reportSampleTooBig: (tag: string, step: number, kiB: number, limitKiB: number) =>
    `${tag}, step ${step}: ${kiB} KiB, over the ${limitKiB} KiB embedded per clip; open it in the dashboard (nashboard watch).`,
  reportSampleOverTotal: (tag: string, step: number) =>
    `${tag}, step ${step}: not embedded, the page's size cap is reached; open it in the dashboard (nashboard watch).`,
  reportSampleUnreadable: (tag: string, step: number, reason: string) =>
    `${tag}, step ${step}: cannot be read (${reason}).`,
  reportSampleSame: (tag: string, step: number, shownFor: number) =>
    `${tag}, step ${step}: the same sample as shown above for step ${shownFor}.`,
  reportSampleLatest: "The latest logged step (the monitor names no candidate epochs for this run)",
  // nashboard watch --steer: the controller's decisions for another trainer (src/control/steerer.ts)
  optSteer:
    "steer the runs: write the controller's decisions (learning-rate multipliers, D updates per step) to steer.json in each run folder for the trainer to read (README: Steer any trainer)",
  optSteerDSteps: "with --steer: the D updates per G update the trainer was started with",
  steerLine: (
    run: string,
    step: number,
    lrD: number,
    lrG: number,
    dSteps: number,
    r1: number,
    reason: string,
  ) =>
    `${run}, step ${step}: steer lr_d x${lrD.toPrecision(3)}, lr_g x${lrG.toPrecision(3)}, D updates ${dSteps}${r1 > 0 ? `, R1 ${r1}` : ""} (${reason})`,
  steerSkipTrainer: (run: string) =>
    `${run}: not steered: a Nashboard training run is steered by its own \`train --controller\``,
  steerSkipShared: (run: string, folder: string) =>
    `${run}: not steered: ${folder} already holds the steer file of another run`,
  steerFailed: (run: string, reason: string) => `${run}: steering stopped: ${reason}`,
  controlWhy: (state: string, confidence: number, rule: number, evidence: string) =>
    `; the monitor read ${state} (confidence ${confidence.toFixed(2)}), rule ${rule}${evidence ? `: ${evidence}` : ""}`,
  optSteerSteps:
    "with --steer: the run's planned length in training steps, so a rescued run is finished within it",
  steerDStepsAlone: "--d-steps and --steps tell --steer about the trainer's run; add --steer",
};
