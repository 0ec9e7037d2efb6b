/**
 * The monitor's sentences in English: the reference catalogue. monitor-zh.ts must have every key with
 * the same parameters (its type is `typeof monitorEn`). Messages take one parameter object, the same
 * object the monitor stores in its JSON report (MessageRef.params), so a report can be rendered again
 * in another language.
 */

type P = Record<string, string | number | boolean | undefined>;

/** Numbers as people read them in logs: integers whole, others to 3 significant digits, NaN / Infinity spelled out. */
export function fmtNum(x: unknown): string {
  if (typeof x !== "number") return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return fmtLr(x);
  return String(Number(x.toPrecision(3)));
}

/** A learning rate the way configs write it: 1e-4, 5e-5, 2.5e-4. */
export function fmtLr(x: unknown): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return String(x);
  const [mantissa, exponent] = x.toExponential(1).split("e");
  const m = mantissa.replace(/\.0$/, "");
  return `${m}e${Number(exponent)}`;
}

/** A fitted change as a share of the level, signed: "+12%", "-4%", "0%". */
export function signedPercent(x: unknown): string {
  const n = Math.round(100 * Number(x));
  return `${n > 0 ? "+" : ""}${n}%`;
}

const pct = (x: unknown) => `${Math.round(100 * Number(x))}%`;

const STATES = {
  warmup: "warming up",
  balanced: "balanced",
  d_dominant: "discriminator dominant",
  g_dominant: "generator dominant",
  collapse_suspected: "mode collapse suspected",
  diverged: "diverged",
  oscillating: "oscillating",
  stalled: "stalled",
};
const FAMILIES = {
  bce: "BCE, non-saturating generator",
  bce_minimax: "BCE, minimax (saturating) generator",
  lsgan: "least squares (0-1 targets)",
  hinge: "hinge",
  wasserstein: "Wasserstein",
  ragan: "relativistic average BCE",
  rahinge: "relativistic average hinge",
};
/** Why an assumed family was assumed (reference.ts FamilyEvidence), as a clause after its name. */
const FAMILY_EVIDENCE: Record<string, string> = {
  negative_disc: ", because loss_disc went below 0, which only a Wasserstein critic's loss does",
  negative_gen: ", because loss_gen went below 0, which the non-saturating BCE generator's loss cannot",
  rvc_terms: ", because the log has loss_mel / loss_kl / loss_fm: an RVC / VITS-style least-squares GAN",
  cyclegan_terms:
    ", because the log has CycleGAN's cycle / idt terms: pytorch-CycleGAN-and-pix2pix's least squares, with D's loss logged halved, 0.5·(real + fake), so its equilibrium is 0.25 per discriminator (--loss lsgan reads it unhalved)",
  default: ", the commonest; nothing in the log said otherwise",
  undefined: "",
};
/** Why a pair of losses cannot come from the family (src/monitor/rules/family-fit.ts), per sub-discriminator. */
const misfitWhy = (p: P): string => {
  const v = fmtNum(p.value);
  const b = fmtNum(p.bound);
  switch (p.rule) {
    case "bce":
      return `a BCE D loss that low needs a G loss of at least ${b} per discriminator, here ${v}`;
    case "bce_minimax":
      return `-loss_gen is one of loss_disc's two terms and cannot exceed it (${b} > ${v})`;
    case "lsgan":
      return `√(loss_disc/K) + √(loss_gen/K) is at least 1 for least squares, here ${v}`;
    default:
      return `loss_disc + loss_gen is at least ${b} per discriminator for this loss, here ${v}`;
  }
};
const SOURCES = {
  option: "given",
  hints: "from the log",
  tags: "from the per-discriminator tags",
  assumed: "assumed",
};
const lookup = (table: Record<string, string>, key: unknown) => table[String(key)] ?? String(key);
const state = (s: unknown) => STATES[s as keyof typeof STATES] ?? String(s);
const at = (p: P) =>
  p.nearEpoch !== undefined
    ? ` at epoch ${p.nearEpoch}, nearest saved checkpoint`
    : p.nearStep !== undefined
      ? ` at step ${p.nearStep}, nearest saved checkpoint`
      : "";

export const monitorEn = {
  state: STATES,
  health: { healthy: "healthy", warning: "warning", unhealthy: "unhealthy" },
  phase: { early: "early", middle: "middle", late: "late" },
  family: FAMILIES,
  source: SOURCES,

  summary: {
    noPoints: (_p: P) => "Not enough data yet: no points.",
    notEnoughData: (p: P) =>
      `Not enough data yet: ${p.steps} logged step(s) with both losses; the balance is judged from ${p.needed} on.`,
    cannotJudge: (p: P) =>
      `Cannot judge: these losses do not look like ${lookup(FAMILIES, p.family)} with K = ${p.k} (loss_disc ${fmtNum(p.disc)}, loss_gen ${fmtNum(p.gen)}: ${misfitWhy(p)}), so no balance reading against its equilibrium can be trusted.`,
    fewSteps: (p: P) =>
      `${p.fits ? `Plausible values for ${lookup(FAMILIES, p.family)}, K = ${p.k}` : `These values do not fit ${lookup(FAMILIES, p.family)} with K = ${p.k} (give --loss / --discriminators)`}: loss_disc ${fmtNum(p.disc)} and loss_gen ${fmtNum(p.gen)}, where the equilibrium is ${fmtNum(p.eqDisc)} / ${fmtNum(p.eqGen)}. ${p.steps} logged step(s) cannot show a trend: whether D or G is pulling ahead is judged from ${p.needed} on.`,
    noDiscLoss: (p: P) =>
      `The balance cannot be judged: loss_disc and loss_gen are not both logged (tags seen: ${p.tags}).`,
    divergedFromStart: (p: P) =>
      `Diverged from the first logged step: ${p.tag} is ${fmtNum(p.value)} at step ${p.step}.`,
    diverged: (p: P) =>
      `Diverged: ${p.tag} became ${fmtNum(p.value)} at step ${p.step}${p.finiteTags ? ` while ${p.finiteTags} stayed finite` : ""}.`,
    exploded: (p: P) => `Diverged: ${p.tag} exploded to ${fmtNum(p.value)} at step ${p.step}.`,
    problem: (p: P) =>
      `${capital(state(p.state))} for ${pct(p.share)} of the second half of the run (first from step ${p.fromStep})${p.final !== p.state ? `; at the end: ${state(p.final)}` : ""}.`,
    finalProblem: (p: P) => `${capital(state(p.state))} since step ${p.fromStep}.`,
    healthy: (p: P) =>
      `Balanced: the losses stay near the equilibrium (loss_disc ${fmtNum(p.disc)} vs ${fmtNum(p.eqDisc)}, loss_gen ${fmtNum(p.gen)} vs ${fmtNum(p.eqGen)}).`,
    healthyOffEq: (p: P) =>
      `Balanced: neither player wins (loss_disc ${fmtNum(p.disc)}, equilibrium ${fmtNum(p.eqDisc)}; loss_gen ${fmtNum(p.gen)}, equilibrium ${fmtNum(p.eqGen)}).`,
    drift: (p: P) =>
      `${p.winner === "d" ? "D" : "G"} slowly wins over the run (loss_disc changed by ${fmtNum(p.discChange)}, loss_gen by ${fmtNum(p.genChange)} equilibrium units), though step to step the run reads ${state(p.final)}.`,
    healthyNoEq: (p: P) =>
      `Balanced: no rule found a problem (loss_disc ${fmtNum(p.disc)}, loss_gen ${fmtNum(p.gen)}).`,
  },

  advice: {
    fp16Nan: (p: P) =>
      `${p.tag} became NaN at step ${p.step}${p.finiteTags ? ` while ${p.finiteTags} stayed finite` : ""}: turn off fp16 (fp16_run: false; Pascal cards such as the P40 or GTX 10xx have no proper fp16) and resume from the last checkpoint${p.checkpoint ? ` (${p.checkpoint})` : ""}.`,
    nanFromStart: (p: P) =>
      `The losses were not numbers from the first logged step (${p.step}): check the data (silent or broken clips, empty high frequencies), turn off fp16 and lower the learning rate before starting again.`,
    nanGeneric: (p: P) =>
      `${p.tag} became ${fmtNum(p.value)} at step ${p.step}: resume from the last checkpoint before it${p.checkpoint ? ` (${p.checkpoint})` : ""} with a lower learning rate${p.lr !== undefined ? ` (e.g. ${fmtLr(p.lr)} instead of ${fmtLr(p.lrNow)})` : ""}, and clip gradients.`,
    explosion: (p: P) =>
      `${p.tag} exploded at step ${p.step}: lower the learning rates${p.lr !== undefined ? ` (e.g. from ${fmtLr(p.lrNow)} to ${fmtLr(p.lr)})` : ""} and clip gradients.`,
    lowerLrD: (p: P) =>
      p.from !== undefined
        ? `D is too strong: lower lr_d from ${fmtLr(p.from)} to ${fmtLr(p.to)}, or give G two steps per D step.`
        : "D is too strong: halve D's learning rate, or give G two steps per D step.",
    minimaxSwitch: (_p: P) =>
      "Switch the generator to the non-saturating loss -log D(G(z)): the minimax loss log(1 - D(G(z))) gives G no gradient once D wins.",
    lowerLrG: (p: P) =>
      p.from !== undefined
        ? `G is too strong for D: lower lr_g from ${fmtLr(p.from)} to ${fmtLr(p.to)}, or make D stronger (wider, or two D steps per G step).`
        : "G is too strong for D: halve G's learning rate, or make D stronger (wider, or two D steps per G step).",
    featureMatching: (_p: P) =>
      "Mode collapse suspected: add feature matching (or minibatch discrimination / PacGAN), lower lr_g, and check the samples for variety.",
    dNoBetterThanConstant: (p: P) =>
      `loss_disc sat below its equilibrium on only ${pct(p.share)} of the recent steps: D does no better than a constant output (the equilibrium is what "0.5 for everything" scores), so it teaches G nothing and G's samples can be anything.`,
    checkCollapse: (_p: P) =>
      "D has led for most of the run with loss_gen far above its equilibrium: check your samples for mode collapse (a few modes covered well, the rest missing). The losses look the same whether G collapsed or is still sharpening its modes.",
    oscillation: (p: P) =>
      p.lrD !== undefined
        ? `The players take turns instead of settling: lower both learning rates (lr_d ${fmtLr(p.lrD)} → ${fmtLr(Number(p.lrD) / 2)}, lr_g ${fmtLr(p.lrG)} → ${fmtLr(Number(p.lrG) / 2)}), or use Adam with beta1 = 0.5.`
        : "The players take turns instead of settling: lower both learning rates (halve them), or use Adam with beta1 = 0.5.",
    stalledGrad: (_p: P) =>
      "G receives no gradient any more (its gradient norm is near 0): dead units or a saturated D. Resume from an earlier checkpoint with lower learning rates, or use leaky ReLU.",
    stalledFlat: (_p: P) =>
      "D's output no longer changes (both losses flat): D has stopped learning. Resume from an earlier checkpoint with a lower learning rate, widen D or use leaky ReLU.",
    rvcOvertrained: (p: P) =>
      `Overtrained? A log cannot tell: overtraining is heard, not read (the lowest loss is not necessarily the best epoch). What this log shows: ${p.dWinning ? "D is pulling ahead of G, as it does when training runs long" : "neither player is pulling ahead"}${p.mel ? `; loss_mel is ${p.mel === "rising" ? "rising (the voice is getting worse at reproducing the data: a sign to stop)" : p.mel === "falling" ? "still falling" : "flat"}` : ""}${p.resumes ? `; the run resumed ${p.resumes} time(s)` : ""}.`,
    rvcListen: (p: P) =>
      `Listen to the candidate epochs (${p.epochs}) and keep the one that sounds best: the losses cannot tell.`,
    rvcDWinning: (_p: P) =>
      "D slowly wins (loss_disc falls while loss_gen rises), as usual late in voice-model training: compare an earlier candidate epoch by ear; if quality drops, stop here or lower the learning rate.",
    klClamped: (p: P) =>
      `loss_kl sits at RVC's clamp (${fmtNum(p.value)}, meaning at least that) since step ${p.step}: check the dataset (broken or silent clips, pitch extraction) before training longer.`,
    keepGoing: (_p: P) => "Nothing to change: the two players are still playing the game.",
    notEnoughData: (p: P) =>
      `One line cannot show a trend: the balance is judged from ${p.needed} logged steps on. Give more lines (ideally the whole train.log), or keep training.`,
    nameFamily: (p: P) =>
      `Tell Nashboard which loss this is: --loss <family> (${Object.keys(FAMILIES).join(", ")}), and --discriminators K when loss_disc sums K sub-discriminators (assumed now: ${p.family}, K = ${p.k}).`,
    logBothLosses: (_p: P) => "Log loss_disc and loss_gen at the same steps so the balance can be judged.",
  },

  alert: {
    skippedStep: (p: P) =>
      `${p.tag} is ${fmtNum(p.value)} at step ${p.step} while every loss is finite: with mixed precision (fp16) the gradient scaler skips such an update and lowers its scale. Not divergence.`,
    nonFinite: (p: P) =>
      `${p.tag} is ${fmtNum(p.value)} at step ${p.step}${p.finiteTags ? ` (${p.finiteTags} still finite)` : ""}.`,
    explosion: (p: P) =>
      p.reason === "absolute"
        ? `${p.tag} exploded at step ${p.step}: ${fmtNum(p.value)}, over ${fmtNum(p.limit)} (${p.limitFactor}× its equilibrium scale).`
        : `${p.tag} exploded at step ${p.step}: ${fmtNum(p.value)}, ${p.sustain} spikes in a row.`,
    spike: (p: P) =>
      `${p.tag} spiked at step ${p.step}: ${fmtNum(p.value)} (robust z ${fmtNum(p.z)} against the recent median ${fmtNum(p.median)}).`,
    gradNormHigh: (p: P) =>
      `${p.tag} is ${fmtNum(p.value)} at step ${p.step}, above ${fmtNum(p.limit)}: gradients this large mean trouble.`,
    clamped: (p: P) =>
      `${p.tag} = ${fmtNum(p.value)} at step ${p.step} is the trainer's clamp: the true value is at least ${fmtNum(p.value)}.`,
    resume: (p: P) =>
      `The run resumed at step ${p.step} (segment ${p.segment}): the step counter went back. A resume, not a glitch.`,
    outOfOrder: (p: P) =>
      `Steps out of order: ${p.count} point(s) went back or arrived after their step was judged; a step that goes back is read as a restart.`,
  },

  note: {
    notBothZero: (p: P) =>
      `loss_disc and loss_gen are not meant to both go to zero: they measure two players against each other, and at the equilibrium loss_disc = ${fmtNum(p.eqDisc)} and loss_gen = ${fmtNum(p.eqGen)}. Lower is not better for either.`,
    notBothZeroWasserstein: (_p: P) =>
      "loss_disc and loss_gen are not meant to both go to zero: the critic's loss tends to 0 as G improves, and G's loss has no fixed value.",
    oneLossOnly: (p: P) =>
      `Only ${p.present} is in this log, not ${p.present === "loss_disc" ? "loss_gen" : "loss_disc"}: the balance between the two players cannot be judged, and what this report says is about ${p.present} alone. If the other loss is logged under a name Nashboard does not know, name it with ${p.present === "loss_disc" ? "--g-tag" : "--d-tag"}.`,
    familyAssumed: (p: P) =>
      `Loss family assumed: ${lookup(FAMILIES, p.family)}${lookup(FAMILY_EVIDENCE, p.evidence)} (name yours with --loss, e.g. --loss hinge; known: ${Object.keys(FAMILIES).join(", ")}).`,
    discHalved: (p: P) =>
      `D's loss is read as logged halved, 0.5·(real + fake), as pytorch-CycleGAN-and-pix2pix logs D_A and D_B (the log has its cycle / idt terms): its equilibrium is ${fmtNum(p.eqDisc)} (--loss ${p.family} reads it unhalved).`,
    kAssumed: (p: P) =>
      `Assumed K = ${p.k} sub-discriminators (RVC v2 / Applio); RVC v1 has 7 and so-vits-svc / VITS 6: if yours differs, give it with --discriminators (e.g. --discriminators 7).`,
    kFrom: (p: P) =>
      `K = ${p.k} sub-discriminators (${lookup(SOURCES, p.source)}${p.source === "tags" ? `: ${p.k} indexed tags, 0 to ${Number(p.k) - 1}` : ""}); another K: --discriminators K.`,
    atEquilibrium: (p: P) =>
      `The losses sit at the equilibrium (within ${pct(p.band)}): D cannot tell real from generated. That is the game's goal when G matches the data, but a D too weak or too slow to learn writes the same numbers while G's samples are poor or cover only a few modes. The losses cannot tell these apart: look at the samples${p.dOutputs ? "" : ", or log D(x) and D(G(z))"}${p.gradD !== undefined ? ` (D's gradient norm is ${fmtNum(p.gradD)}: a D that has stopped learning has a gradient near 0)` : ""}. In Nashboard's cross-trainer benchmark (small 2-D GANs trained in PyTorch, samples scored), ${p.recordUnhealthy} of the ${p.recordRuns} runs that ended with this note had samples that were not healthy.`,
    gapFromAccuracy: (_p: P) =>
      "D's lead is read from its logged accuracy (2 × accuracy - 1: 0 when D guesses, 1 when it is always right), which the log has instead of D(x) / D(G(z)). Decisions are harsher than D's probabilities: a D that is right on most samples by a small margin still reads far ahead.",
    dOutputsEstimated: (_p: P) =>
      "D's mean outputs are estimated from the losses (the log has no D(x) / D(G(z))): by Jensen's inequality a bound, good enough to tell near 0.5 from far apart.",
    jsdCaveat: (_p: P) =>
      "The JS-divergence bound max(0, ln 2 - loss_disc / 2) is tight only when D is near optimal: a weak or lagging D makes it loose (it can read 0 for very different distributions), and a D that overfits its batches can make it overstate.",
    dGraduallyWinning: (p: P) =>
      `Over the run D slowly wins: loss_disc changed by ${fmtNum(p.discChange)} and loss_gen by ${fmtNum(p.genChange)} equilibrium units.`,
    gGraduallyWinning: (p: P) =>
      `Over the run G slowly wins: loss_disc changed by ${fmtNum(p.discChange)} and loss_gen by ${fmtNum(p.genChange)} equilibrium units.`,
    clampedValues: (p: P) =>
      `${p.tag} is at the clamp ${fmtNum(p.value)} in ${p.count} line(s): those values mean "at least ${fmtNum(p.value)}", and trends through them are understated.`,
    divergedBeforeResume: (p: P) =>
      `${p.tag} diverged at step ${p.step} in an earlier segment; the run resumed at step ${p.resumeStep}, and the verdict is about what came after.`,
    resumes: (p: P) => `The run was resumed ${p.count} time(s) (at steps ${p.steps}).`,
    skippedSteps: (p: P) =>
      `${p.count} logged step(s) had a non-finite gradient norm while the losses stayed finite (first: ${p.tag} at step ${p.step}): updates skipped by the fp16 gradient scaler, not divergence.`,
    stepsPerEpoch: (p: P) => `One epoch is ${fmtNum(p.steps)} steps.`,
  },

  reason: {
    lowestMel: (p: P) => `lowest smoothed loss_mel (${fmtNum(p.value)})${at(p)}`,
    lowestGenTotal: (p: P) => `lowest smoothed loss_gen_total (${fmtNum(p.value)})${at(p)}`,
    beforeGenRise: (p: P) =>
      `last point before loss_gen started rising (smoothed ${fmtNum(p.value)})${at(p)}`,
    beforeDivergence: (p: P) => `before the losses became NaN at step ${p.step}${at(p)}`,
    latest: (p: P) =>
      p.nearEpoch !== undefined
        ? `the latest saved checkpoint (the log goes on to epoch ${p.nearEpoch})`
        : p.nearStep !== undefined
          ? `the latest saved checkpoint (the log goes on to step ${p.nearStep})`
          : "the latest model",
  },

  trend: { rising: "rising", falling: "falling", flat: "flat" },

  /** One line per rule of the classifier (types.ts RULE_IDS): what it checks. */
  rule: {
    non_finite: "a loss, D output or gradient norm is NaN or infinite",
    exploded: "a loss exploded (far beyond its equilibrium, or spikes in a row)",
    warmup: "too few judged steps to judge yet",
    dead_g_gradient: "G's gradient norm is exactly 0 step after step",
    collapse_drop: "G's loss drops fast while D's outputs stop telling real from generated",
    d_gap_dominant: "D's outputs on real and generated data are far apart",
    d_gap_fooled: "D rates generated data above real data",
    g_gradient_vanished: "G's gradient fell to a sliver of its maximum",
    frozen_game: "D's lead has not moved over the whole run (a dead G)",
    frozen_losses: "both losses stopped moving at all (a dead network: batch noise would move them)",
    never_let_go: "D's lead never came down since the early phase",
    critic_beaten:
      "the WGAN critic's Wasserstein estimate (-loss_disc) fell below 0, well under its peak: it rates generated data above real",
    critic_ahead:
      "the WGAN critic's Wasserstein estimate (-loss_disc) keeps at least half its peak: G has not caught up",
    d_beaten: "D does worse than chance on its own batches",
    oscillation: "the losses swing (amplitude, autocorrelation, crossings)",
    worse_than_constant: "D's loss sits above the equilibrium, the best a constant D can do",
    d_trend: "D's loss falls while G's rises or stalls, the levels on D's side",
    g_trend: "D's loss rises while G's falls, the levels on G's side",
    no_problem: "no rule found a problem",
  } as Record<string, string>,

  explain: {
    title: "How each judgement was made",
    entry: (p: P) => `steps ${p.from}–${p.to}: ${state(p.state)}, rule ${p.rule}: ${p.ruleText}.`,
    evidenceHeld: (p: P) => `${p.signal} = ${fmtNum(p.value)} ${p.op} ${fmtNum(p.threshold)} (threshold)`,
    evidenceShown: (p: P) => `${p.signal} = ${fmtNum(p.value)}`,
    verdict: (p: P) => `Verdict ${String(p.health).toUpperCase()}: ${p.summary}`,
    verdictRule: (p: P) =>
      `The verdict weighs the second half of the judged steps (warm-up left out): unhealthy when the run ends in a problem that held at least ${p.minSteps} judged steps and is severe (stalled, collapse, diverged) or problems held at least ${pct(p.final)} of that half, or stalled / collapse held ${pct(p.severe)}; a warning when it ends in a problem or one held at least ${pct(p.warn)}; healthy otherwise.`,
    thresholds: (p: P) => `Thresholds: src/monitor/thresholds.ts (${p.count} values, each with its reason).`,
  },

  // The pictures (HTML report's charts, the dashboard): the words on and beside a chart
  picture: {
    axisStep: "step",
    /** Between evidence items. */
    listSeparator: ", ",
    /** Between a series' logged values, and between a candidate's reasons. */
    valueSeparator: "; ",
    equilibrium: (p: P) => `${p.tag} equilibrium ${fmtNum(p.value)}`,
    valuesTitle: "Too few points for a curve: the logged values",
    valueAt: (p: P) => `${fmtNum(p.value)} at step ${p.step}`,
    nonFiniteAt: (p: P) => `not a finite number at step ${p.step}`,
    alertKind: {
      non_finite: "not finite",
      skipped_step: "skipped step",
      explosion: "explosion",
      spike: "spike",
      grad_norm_high: "gradient norm high",
      clamped: "clamped value",
      resume: "resume",
      out_of_order: "out of order",
    },
    severity: { info: "info", warning: "warning", critical: "critical" },
    /** Evidence signals in words; {tag} is the loss the signal is about. */
    signal: {
      d_gap: "D's lead (mean D(real) − D(fake))",
      "d_gap.abs": "size of D's lead",
      "d_gap.floor_since_start": "D's smallest lead since the start",
      judged_steps: "steps judged",
      "critic.estimate": "the critic's Wasserstein estimate (-loss_disc)",
      "critic.peak": "the peak of the critic's Wasserstein estimate",
      "critic.estimate_to_peak": "the critic's Wasserstein estimate against its peak",
      "grad_norm_g.ratio_to_max": "G's gradient norm against its peak",
      "grad_norm_g.zero_steps": "steps with no gradient for G",
      rel: (p: P) => `${p.tag} against its equilibrium`,
      "rel.abs": (p: P) => `distance of ${p.tag} from its equilibrium`,
      below_equilibrium_share: (p: P) => `share of steps with ${p.tag} below its equilibrium`,
      run_range: (p: P) => `range of ${p.tag} over the run`,
      spread: (p: P) => `spread of ${p.tag}`,
      trend: (p: P) => `trend of ${p.tag}`,
      trend_z: (p: P) => `how sure the trend of ${p.tag} is (z)`,
      short_trend: (p: P) => `recent trend of ${p.tag}`,
      short_trend_z: (p: P) => `how sure the recent trend of ${p.tag} is (z)`,
      long_trend: (p: P) => `long trend of ${p.tag}`,
      long_trend_z: (p: P) => `how sure the long trend of ${p.tag} is (z)`,
      osc_amplitude: (p: P) => `swing of ${p.tag}`,
      osc_autocorr: (p: P) => `regularity of the swing of ${p.tag}`,
      osc_crossings: (p: P) => `equilibrium crossings of ${p.tag}`,
      explosion: (p: P) => `${p.tag} exploding`,
      non_finite: (p: P) => `${p.tag} not finite`,
    },
  },

  text: {
    title: "Nashboard balance report",
    reference: (p: P) =>
      `Loss family: ${lookup(FAMILIES, p.family)} (${lookup(SOURCES, p.familySource)}); K = ${p.k} (${lookup(SOURCES, p.kSource)}); equilibrium loss_disc ${fmtNum(p.eqDisc)}, loss_gen ${p.eqGen === null || p.eqGen === undefined ? "none" : fmtNum(p.eqGen)}.`,
    steps: (p: P) =>
      `Judged steps: ${p.count}${p.first !== undefined ? ` (steps ${p.first} to ${p.last})` : ""}.`,
    verdict: (p: P) =>
      `Verdict: ${String(p.healthText ?? p.health).toUpperCase()}${p.primary ? ` — ${state(p.primary)}` : ""}`,
    verdictTooEarly: "Verdict: TOO EARLY TO TELL",
    tooEarly: "too early to tell",
    advice: "What to do:",
    timeline: "Timeline:",
    timelineEntry: (p: P) =>
      `steps ${p.from}–${p.to}: ${state(p.state)} (confidence ${fmtNum(p.confidence)}${p.evidence ? `; ${p.evidence}` : ""})`,
    timelineOmitted: (p: P) => `… ${p.count} entries left out …`,
    phases: "Phases:",
    phaseEntry: (p: P) => `${p.phase}: steps ${p.from}–${p.to}`,
    noPhases: "Phases: not enough of the run to tell.",
    alerts: "Alerts:",
    alertEntry: (p: P) => `step ${p.step} [${p.kind}] ${p.message}`,
    alertsOmitted: (p: P) => `… and ${p.count} more ${p.kind} alert(s).`,
    rvc: "Voice-model facts:",
    trendEntry: (p: P) => `${p.tag}: ${p.direction} (${signedPercent(p.change)} of its level over the run)`,
    candidates: "Candidate epochs to listen to:",
    candidateEntry: (p: P) =>
      `${p.epoch !== undefined ? `epoch ${p.epoch}, ` : ""}step ${p.step}${p.file ? ` (${p.file})` : ""}: ${p.reasons}`,
    jsd: (p: P) => `JS divergence ≥ ${fmtNum(p.value)} nats at step ${p.step} (lower bound from loss_disc).`,
    notes: "Notes:",
    dataQuality: (p: P) =>
      `Data: ${p.points} points; ${p.invalid} unusable (no tag or step), ${p.late} arrived late, ${p.backward} went back, ${p.repeated} repeated a step.`,
  },
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type MonitorMessages = typeof monitorEn;
