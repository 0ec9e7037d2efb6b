/**
 * The streaming balance monitor: one implementation for a live trainer, a growing log and a replay.
 *
 *   const m = new BalanceMonitor({ lossFamily: "bce" });
 *   for (const p of points) for (const e of m.push(p)) console.log(e);   // state changes, alerts
 *   m.flush();                                                          // end of the stream
 *   const report = m.report();                                          // timeline, verdict, ...
 *
 * Points are assembled into steps (step-assembler.ts); each completed step updates the per-tag signals
 * (series.ts), is checked for divergence (divergence.ts), and when it has both losses is judged
 * (classifier.ts) and voted into the state machine (hysteresis.ts). Every structure is bounded
 * (windows, bucket curves, capped timeline and alerts), so the work per point is constant (amortised)
 * and the memory does not grow with the run.
 */
import type { Lang } from "../i18n/index.ts";
import type { RunHints } from "../sources/parser.ts";
import type { LossFamily, ScalarPoint } from "../types.ts";
import { buildReport, type MonitorView } from "./render/report.ts";
import { buildSnapshot } from "./render/snapshot.ts";
import { type BalanceSignals, classify } from "./rules/classifier.ts";
import { DivergenceWatch, SPIKE_TAGS } from "./rules/divergence.ts";
import { type RaiseAlert, recordDivergence } from "./rules/divergence-alerts.ts";
import { StateMachine } from "./rules/hysteresis.ts";
import { CriticPeak } from "./rules/rules-wasserstein.ts";
import { BucketCurve } from "./signals/curve.ts";
import { DiscSide } from "./signals/disc-side.ts";
import { GapSignal } from "./signals/gap-signal.ts";
import { LeadFloor } from "./signals/lead-floor.ts";
import { LossSignalReader } from "./signals/loss-signals.ts";
import { correlation } from "./signals/oscillation.ts";
import { jsdBoundFor, resolveReference } from "./signals/reference.ts";
import { type PushResult, SeriesTracker } from "./signals/series.ts";
import { StepAssembler, type StepRecord } from "./signals/step-assembler.ts";
import { type MonitorThresholds, resolveThresholds } from "./thresholds.ts";
import type { MonitorEvent, MonitorReport, Snapshot } from "./types.ts";
import { AlertLog } from "./verdict/alerts.ts";
import { EpochMap } from "./verdict/epochs.ts";

export interface MonitorOptions {
  /** The loss family; overrides the hints (the CLI's --loss). */
  lossFamily?: LossFamily;
  /** Sub-discriminators K; overrides the tags and the hints (the CLI's --discriminators). */
  discriminators?: number;
  /** What the source knows about the run (family, K, checkpoints, notes). */
  hints?: RunHints;
  /** Overrides of MONITOR_THRESHOLDS. */
  thresholds?: Partial<MonitorThresholds>;
  /** Language of the rendered alert messages and summary (default English). */
  lang?: Lang;
}

/** Tags with a tracker (EMA, curve, counts); the first four also keep a window (spikes, trends). */
const TRACKED = [
  "loss_disc",
  "loss_gen",
  "grad_norm_d",
  "grad_norm_g",
  "loss_fm",
  "loss_mel",
  "loss_kl",
  "loss_gen_total",
  "d_real",
  "d_fake",
];
const LR_TAGS: Record<string, "lrD" | "lrG" | "lr"> = { lr_d: "lrD", lr_g: "lrG", lr: "lr" };
const RVC_TERMS = new Set(["loss_mel", "loss_kl", "loss_fm"]);
/** pytorch-CycleGAN-and-pix2pix's CycleGAN terms, a game's letter taken off (`cycle_A` -> `cycle`). */
const CYCLEGAN_TERMS = new Set(["cycle", "idt"]);
const SUB_DISCRIMINATOR = /^(d_real_k|d_fake_k|loss_gen_k)\/(\d+)$/;
/** Distinct tag names remembered (for "tags seen" in a verdict): bounded whatever a log holds. */
const MAX_TAGS = 256;

export class BalanceMonitor {
  private readonly v: MonitorView;
  private readonly options: MonitorOptions;
  private readonly assembler = new StepAssembler();
  private readonly watch: DivergenceWatch;
  private readonly reader = new LossSignalReader();
  private tagK = 0;
  private negativeGen = false;
  private negativeDisc = false;
  private cycleganTerms = false;
  private judgedInSegment = 0;
  private gradGZeros = 0;
  private readonly discSide: DiscSide;
  private readonly leadFloor = new LeadFloor();
  private readonly criticPeak = new CriticPeak();

  constructor(options: MonitorOptions = {}) {
    this.options = options;
    const t = resolveThresholds(options.thresholds);
    const lang = options.lang ?? "en";
    this.watch = new DivergenceWatch(t);
    // twice the window: a starved D gets ahead for a few dozen steps at a time (disc-side.ts)
    this.discSide = new DiscSide(2 * t.window, t.workingDMargin);
    this.v = {
      t,
      lang,
      hints: options.hints ?? {},
      ref: resolveReference({ rvcLike: false, negativeGen: false, negativeDisc: false }),
      trackers: new Map(),
      gap: new GapSignal(t),
      jsd: new BucketCurve(t.runBuckets),
      machine: new StateMachine(t),
      alerts: new AlertLog(lang, t.maxAlertsPerKind),
      epochs: new EpochMap(),
      points: 0,
      invalid: 0,
      judged: 0,
      skipped: { steps: 0 },
      lr: {},
      rvcLike: false,
      seenTags: new Set(),
      resumes: [],
      counts: this.assembler.counts,
    };
    this.refreshReference();
  }

  /** Steps judged so far (a snapshot's completedSteps, without building the snapshot). */
  get judgedSteps(): number {
    return this.v.judged;
  }

  /** New or updated hints from the source (a growing log learns its checkpoints as it goes). */
  setHints(hints: RunHints): void {
    this.v.hints = hints;
    this.refreshReference();
  }

  /** Feeds one point; returns the state changes and alerts of the steps it completed. */
  push(point: ScalarPoint): MonitorEvent[] {
    this.v.points++;
    const events: MonitorEvent[] = [];
    if (typeof point?.tag !== "string" || typeof point.step !== "number" || !Number.isFinite(point.step)) {
      this.v.invalid++;
      return events;
    }
    const out = this.assembler.push(point);
    for (const r of out.completed) this.processStep(r, events);
    if (out.newSegment) this.startSegment(out.newSegment, events);
    return events;
  }

  /** End of the stream: judges the steps still waiting for later points. */
  flush(): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    for (const r of this.assembler.flush()) this.processStep(r, events);
    return events;
  }

  snapshot(): Snapshot {
    return buildSnapshot(this.v, this.reader);
  }

  report(): MonitorReport {
    return buildReport(this.v);
  }

  private processStep(r: StepRecord, events: MonitorEvent[]): void {
    const v = this.v;
    const step = r.step;
    const raise = this.raiser(events);
    v.lastStep = step;
    if (r.epoch !== undefined) v.epochs.observe(step, r.epoch);
    const { subReal, subFake } = this.noteTags(r);
    this.refreshReference();

    const judged = r.values.has("loss_disc") && r.values.has("loss_gen");
    const pushed = new Map<string, PushResult>();
    for (const tag of TRACKED) {
      const val = r.values.get(tag);
      // the two losses enter only together, so their windows and curves stay aligned step for step
      if (val === undefined || ((tag === "loss_disc" || tag === "loss_gen") && !judged)) continue;
      pushed.set(tag, this.tracker(tag).push(step, val.value, val.lowerBound));
      if (val.lowerBound)
        raise(step, "clamped", "info", "clamped", { tag, step, value: val.value }, `clamped:${tag}`);
    }
    const found = this.watch.check(
      step,
      r.values,
      pushed,
      (tag) => this.tracker(tag).scale,
      (tag) => this.tracker(tag).robustStats()?.median ?? Number.NaN,
    );
    recordDivergence(v, step, found, v.t, raise);
    if (!judged) return;

    v.judged++;
    this.judgedInSegment++;
    v.firstJudgedStep ??= step;
    v.lastJudgedStep = step;
    v.gap.observe(r, v.ref, subReal, subFake);
    const disc = this.tracker("loss_disc");
    const gen = this.tracker("loss_gen");
    const bound = jsdBoundFor(v.ref, disc.level.value);
    if (bound !== undefined) v.jsd.add(step, bound, bound);

    const eq = v.ref.equilibrium;
    const signals: BalanceSignals = {
      step,
      judged: this.judgedInSegment,
      nonFinite: found.nonFinite,
      disc: this.reader.read(disc, eq.loss_disc, v.ref.discScale),
      gen: this.reader.read(gen, eq.loss_gen, v.ref.genScale),
      ...(found.explosion ? { explosion: found.explosion } : {}),
    };
    const gap = v.gap.value();
    if (gap !== undefined) signals.gap = gap;
    if (v.rvcLike) signals.rvcLike = true;
    this.discSide.push(signals.disc.rel);
    if (this.discSide.size >= Math.min(v.t.window, 2 * v.t.warmupSteps))
      signals.discBelowShare = this.discSide.share();
    this.leadFloor.observe(this.judgedInSegment, gap, v.t.leadFloorFrom);
    const floor = this.leadFloor.value();
    if (floor !== undefined) {
      signals.leadFloor = floor;
    }
    if (v.ref.family === "wasserstein") {
      const critic = this.criticPeak.observe(this.judgedInSegment, disc.level.value, v.t.warmupSteps);
      if (critic) signals.critic = critic;
    }
    this.gradientSignals(r, signals);
    const ds = disc.windowStats();
    const gs = gen.windowStats();
    if (ds && gs && ds.n === gs.n && ds.n >= 6)
      signals.crossCorrelation = correlation(ds.residual, gs.residual, ds.n);

    const change = v.machine.observe(step, r.segment, classify(signals, v.t));
    if (change) {
      const { from, to, rule, confidence, evidence } = change;
      events.push({ type: "state", step, from, to, rule, confidence, evidence });
    }
  }

  /** Learning rates, K from per-sub-discriminator tags, the RVC family's terms, the tag list. */
  private noteTags(r: StepRecord): { subReal: number[]; subFake: number[] } {
    const v = this.v;
    const subReal: number[] = [];
    const subFake: number[] = [];
    for (const [tag, { value }] of r.values) {
      if (v.seenTags.size < MAX_TAGS) v.seenTags.add(tag);
      if (Object.hasOwn(LR_TAGS, tag)) {
        if (Number.isFinite(value)) v.lr[LR_TAGS[tag]] = value;
        continue;
      }
      const sub = SUB_DISCRIMINATOR.exec(tag);
      if (sub) {
        const i = Number(sub[2]);
        if (i < 64) {
          this.tagK = Math.max(this.tagK, i + 1);
          if (sub[1] === "d_real_k") subReal[i] = value;
          else if (sub[1] === "d_fake_k") subFake[i] = value;
        }
        continue;
      }
      if (RVC_TERMS.has(tag)) v.rvcLike = true;
      if (CYCLEGAN_TERMS.has(tag)) this.cycleganTerms = true;
      if (tag === "loss_gen" && Number.isFinite(value) && value < 0) this.negativeGen = true;
      if (tag === "loss_disc" && Number.isFinite(value) && value < 0) this.negativeDisc = true;
    }
    return { subReal, subFake };
  }

  /** G's gradient: its level against its own maximum, and how many steps in a row it was exactly 0. */
  private gradientSignals(r: StepRecord, signals: BalanceSignals): void {
    const gradG = this.v.trackers.get("grad_norm_g");
    if (gradG && gradG.level.count >= this.v.t.warmupSteps && Number.isFinite(gradG.level.value)) {
      signals.gradGRatio = gradG.maxSmoothed > 0 ? gradG.level.value / gradG.maxSmoothed : 0;
    }
    const raw = r.values.get("grad_norm_g");
    if (raw !== undefined) {
      this.gradGZeros = raw.value === 0 ? this.gradGZeros + 1 : 0;
      signals.gradGZeros = this.gradGZeros;
    }
  }

  /** A resume: the windows start again and the state machine warms up; the curves go on. */
  private startSegment(
    s: { segment: number; step: number; announced: boolean },
    events: MonitorEvent[],
  ): void {
    const v = this.v;
    const raise = this.raiser(events);
    if (v.resumes.length < 100) v.resumes.push({ segment: s.segment, step: s.step });
    // resuming from a checkpoint is the cure for a divergence: the new segment is judged afresh
    const before = v.diverged ?? v.explosion;
    if (before) v.earlierDivergence = { step: before.step, tag: before.tag, resumeStep: s.step };
    v.diverged = undefined;
    v.explosion = undefined;
    v.machine.newSegment();
    for (const tr of v.trackers.values()) tr.resetWindow();
    v.gap.reset();
    this.discSide.reset();
    this.leadFloor.reset();
    this.criticPeak.reset();
    this.watch.reset();
    this.judgedInSegment = 0;
    this.gradGZeros = 0;
    v.alerts.forgetOnce("nonFinite:");
    v.alerts.forgetOnce("explosion:");
    raise(s.step, "resume", "info", "resume", { step: s.step, segment: s.segment });
    if (!s.announced) {
      raise(s.step, "out_of_order", "warning", "outOfOrder", { count: v.counts.backward }, "outOfOrder");
    }
  }

  /** Raises alerts into the log and, when kept, as events of this push. */
  private raiser(events: MonitorEvent[]): RaiseAlert {
    return (step, kind, severity, key, params, onceKey) => {
      const alert = this.v.alerts.raise(step, kind, severity, key, params, onceKey);
      if (alert) events.push({ type: "alert", step, alert });
    };
  }

  private tracker(tag: string): SeriesTracker {
    let tr = this.v.trackers.get(tag);
    if (!tr) {
      tr = new SeriesTracker(tag, this.v.t, SPIKE_TAGS.includes(tag));
      this.v.trackers.set(tag, tr);
      this.applyScale(tr);
    }
    if (!tr.scaleFixed && tr.ema.count >= 3 && Number.isFinite(tr.ema.value)) {
      // Series without a reference value are normalised by their own early level.
      tr.scale = Math.max(Math.abs(tr.ema.value), 1e-9);
      tr.scaleFixed = true;
    }
    return tr;
  }

  /** The adversarial losses are normalised by the equilibrium when the family has one. */
  private applyScale(tr: SeriesTracker): void {
    const ref = this.v.ref;
    const scale = tr.tag === "loss_disc" ? ref.discScale : tr.tag === "loss_gen" ? ref.genScale : undefined;
    if (scale !== undefined) {
      tr.scale = scale;
      tr.scaleFixed = true;
    }
  }

  /** Family and K from the options, the hints, the tags or an assumption; cheap when nothing changed. */
  private refreshReference(): void {
    const v = this.v;
    const inputs = {
      optionFamily: this.options.lossFamily,
      hintFamily: v.hints.lossFamily,
      optionK: this.options.discriminators,
      hintK: v.hints.discriminators,
      tagK: this.tagK > 0 ? this.tagK : undefined,
      rvcLike: v.rvcLike,
      cycleganTerms: this.cycleganTerms,
      negativeGen: this.negativeGen,
      negativeDisc: this.negativeDisc,
    };
    const key = Object.values(inputs).join("|");
    if (key === v.refKey) return;
    v.refKey = key;
    v.ref = resolveReference(inputs);
    for (const tr of v.trackers.values()) this.applyScale(tr);
  }
}
