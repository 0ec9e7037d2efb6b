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
import { AlertLog } from "./alerts.ts";
import { type BalanceSignals, classify, type LossSignals } from "./classifier.ts";
import { BucketCurve } from "./curve.ts";
import { DivergenceWatch, SPIKE_TAGS } from "./divergence.ts";
import { EpochMap } from "./epochs.ts";
import { StateMachine } from "./hysteresis.ts";
import { correlation } from "./oscillation.ts";
import {
  estimateDOutputs,
  gapFromTerms,
  gapOf,
  jsdBoundFor,
  type Reference,
  resolveReference,
} from "./reference.ts";
import { buildReport, currentPhase, type MonitorView } from "./report.ts";
import { type PushResult, SeriesTracker } from "./series.ts";
import { StepAssembler, type StepRecord } from "./step-assembler.ts";
import { type MonitorThresholds, resolveThresholds } from "./thresholds.ts";
import { trendOf } from "./trend.ts";
import type { MonitorEvent, MonitorReport, Snapshot } from "./types.ts";
import { medianOf, RingWindow } from "./window.ts";

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

const TRACKED = [
  "loss_disc",
  "loss_gen",
  "loss_fm",
  "loss_mel",
  "loss_kl",
  "loss_gen_total",
  "d_real",
  "d_fake",
  "grad_norm_d",
  "grad_norm_g",
];
const RVC_TERMS = new Set(["loss_mel", "loss_kl", "loss_fm"]);
const SUB_DISCRIMINATOR = /^(d_real_k|d_fake_k|loss_gen_k)\/(\d+)$/;
const MAX_TAGS = 256;

export class BalanceMonitor {
  private readonly v: MonitorView;
  private readonly assembler = new StepAssembler();
  private readonly watch: DivergenceWatch;
  private readonly options: MonitorOptions;
  private tagK = 0;
  private negativeGen = false;
  private judgedInSegment = 0;
  private gradGZeros = 0;
  /**
   * The gap the rules read: the median of the last `shortWindow` steps' gaps. One batch where D nails
   * (or misses) everything cannot move a median, while a real change (a collapse) shows within half
   * the window; an EMA would carry a tenth of every wild batch for many steps.
   */
  private readonly recentGaps: RingWindow;
  private readonly gapScratch = new Float64Array(64);
  private readonly longTrendCache = new Map<string, { length: number; trend: ReturnType<typeof trendOf> }>();

  constructor(options: MonitorOptions = {}) {
    this.options = options;
    const t = resolveThresholds(options.thresholds);
    const lang = options.lang ?? "en";
    this.watch = new DivergenceWatch(t);
    this.v = {
      t,
      lang,
      hints: options.hints ?? {},
      ref: resolveReference({ rvcLike: false, negativeGen: false }),
      trackers: new Map(),
      gap: new SeriesTracker("d_gap", t, false),
      jsd: new BucketCurve(t.runBuckets),
      machine: new StateMachine(t),
      alerts: new AlertLog(lang, t.maxAlertsPerKind),
      epochs: new EpochMap(),
      points: 0,
      invalid: 0,
      judged: 0,
      lr: {},
      rvcLike: false,
      seenTags: new Set(),
      resumes: [],
      counts: this.assembler.counts,
    };
    this.recentGaps = new RingWindow(t.shortWindow);
    this.refreshReference();
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
    const v = this.v;
    const signals: Record<string, number> = {};
    for (const [tag, tr] of v.trackers) {
      if (tr.ema.count > 0) signals[`${tag}.smoothed`] = tr.ema.value;
    }
    const disc = v.trackers.get("loss_disc");
    const gen = v.trackers.get("loss_gen");
    if (disc && gen && disc.ema.count > 0) {
      const d = this.lossSignals(disc, v.ref.equilibrium.loss_disc, v.ref.discScale);
      const g = this.lossSignals(gen, v.ref.equilibrium.loss_gen, v.ref.genScale);
      for (const [name, l] of [
        ["loss_disc", d],
        ["loss_gen", g],
      ] as const) {
        if (l.rel !== undefined) signals[`${name}.rel`] = l.rel;
        if (l.trend) signals[`${name}.trend`] = l.trend.change;
        if (l.longTrend) signals[`${name}.long_trend`] = l.longTrend.change;
      }
    }
    const gap = this.gapSignal();
    if (gap !== undefined) signals.d_gap = gap;
    const jsd = v.jsd.length > 0 ? v.jsd.bucket(v.jsd.length - 1).smoothed : Number.NaN;
    if (Number.isFinite(jsd)) signals.jsd_lower_bound = jsd;
    const phase = currentPhase(v);
    return {
      step: v.lastJudgedStep ?? v.lastStep ?? 0,
      state: v.machine.state,
      confidence: v.machine.confidence,
      evidence: v.machine.evidence,
      ...(phase ? { phase } : {}),
      signals,
      completedSteps: v.judged,
    };
  }

  report(): MonitorReport {
    return buildReport(this.v);
  }

  private processStep(r: StepRecord, events: MonitorEvent[]): void {
    const v = this.v;
    const step = r.step;
    v.lastStep = step;
    if (r.epoch !== undefined) v.epochs.observe(step, r.epoch);
    const subReal: number[] = [];
    const subFake: number[] = [];
    for (const [tag, { value }] of r.values) {
      if (v.seenTags.size < MAX_TAGS) v.seenTags.add(tag);
      if (tag === "lr_d" || tag === "lr_g" || tag === "lr") {
        if (Number.isFinite(value)) v.lr[tag === "lr_d" ? "lrD" : tag === "lr_g" ? "lrG" : "lr"] = value;
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
      if (tag === "loss_gen" && Number.isFinite(value) && value < 0) this.negativeGen = true;
    }
    this.refreshReference();

    const disc = r.values.get("loss_disc");
    const gen = r.values.get("loss_gen");
    const judged = disc !== undefined && gen !== undefined;
    const pushed = new Map<string, PushResult>();
    for (const tag of TRACKED) {
      const val = r.values.get(tag);
      if (val === undefined || ((tag === "loss_disc" || tag === "loss_gen") && !judged)) continue;
      pushed.set(tag, this.tracker(tag).push(step, val.value, val.lowerBound));
      if (val.lowerBound) {
        this.alert(
          events,
          step,
          "clamped",
          "info",
          "clamped",
          { tag, step, value: val.value },
          `clamped:${tag}`,
        );
      }
    }

    const scale = (tag: string) => this.tracker(tag).scale;
    const median = (tag: string) => this.tracker(tag).robustStats()?.median ?? Number.NaN;
    const found = this.watch.check(r.values, pushed, scale, median);
    this.raiseDivergenceAlerts(step, found, events);
    if (!judged) return;

    v.judged++;
    this.judgedInSegment++;
    v.firstJudgedStep ??= step;
    v.lastJudgedStep = step;
    const rawGap = this.rawGap(r, subReal, subFake);
    v.gap.push(step, rawGap);
    if (Number.isFinite(rawGap)) this.recentGaps.push(step, rawGap);
    const discTr = this.tracker("loss_disc");
    const genTr = this.tracker("loss_gen");
    const bound = jsdBoundFor(v.ref, discTr.level.value);
    if (bound !== undefined) v.jsd.add(step, bound, bound);

    const d = this.lossSignals(discTr, v.ref.equilibrium.loss_disc, v.ref.discScale);
    const g = this.lossSignals(genTr, v.ref.equilibrium.loss_gen, v.ref.genScale);
    const ds = discTr.windowStats();
    const gs = genTr.windowStats();
    const signals: BalanceSignals = {
      step,
      judged: this.judgedInSegment,
      nonFinite: found.nonFinite,
      disc: d,
      gen: g,
      ...(found.explosion ? { explosion: found.explosion } : {}),
    };
    const gap = this.gapSignal();
    if (gap !== undefined) signals.gap = gap;
    const gradG = v.trackers.get("grad_norm_g");
    if (gradG && gradG.level.count >= v.t.warmupSteps && Number.isFinite(gradG.level.value)) {
      signals.gradGRatio = gradG.maxSmoothed > 0 ? gradG.level.value / gradG.maxSmoothed : 0;
    }
    const gradRaw = r.values.get("grad_norm_g");
    if (gradRaw !== undefined) {
      this.gradGZeros = gradRaw.value === 0 ? this.gradGZeros + 1 : 0;
      signals.gradGZeros = this.gradGZeros;
    }
    if (ds && gs && ds.n === gs.n && ds.n >= 6)
      signals.crossCorrelation = correlation(ds.residual, gs.residual, ds.n);

    const candidate = classify(signals, v.t);
    const change = v.machine.observe(step, r.segment, candidate);
    if (change)
      events.push({
        type: "state",
        step,
        from: change.from,
        to: change.to,
        confidence: change.confidence,
        evidence: change.evidence,
      });
  }

  private gapSignal(): number | undefined {
    const n = this.recentGaps.copyValues(this.gapScratch);
    return n === 0 ? undefined : medianOf(this.gapScratch, n);
  }

  private lossSignals(tr: SeriesTracker, eq: number | null, scale: number | undefined): LossSignals {
    const st = tr.windowStats();
    const smoothed = tr.level.value;
    const s = tr.scale;
    const out: LossSignals = { smoothed, windowSize: tr.window.size };
    if (eq !== null && scale !== undefined && Number.isFinite(smoothed)) out.rel = (smoothed - eq) / scale;
    if (st) {
      if (st.trend) out.trend = st.trend;
      if (st.shortTrend) out.shortTrend = st.shortTrend;
      if (st.oscillation) out.oscillation = st.oscillation;
      out.spread = st.spread / s;
    }
    const long = this.longTrend(tr);
    if (long) out.longTrend = long;
    return out;
  }

  /** Theil–Sen over the second half of the whole-run buckets; recomputed when a bucket opens. */
  private longTrend(tr: SeriesTracker): ReturnType<typeof trendOf> {
    const c = tr.curve;
    const cached = this.longTrendCache.get(tr.tag);
    if (cached && cached.length === c.length) return cached.trend;
    let trend: ReturnType<typeof trendOf>;
    if (c.length >= 8) {
      const from = c.length >> 1;
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = from; i < c.length; i++) {
        const b = c.bucket(i);
        if (!Number.isFinite(b.mean)) continue;
        xs.push((b.fromStep + b.toStep) / 2);
        ys.push(b.mean);
      }
      trend = trendOf(xs, ys, xs.length, tr.scale);
    }
    this.longTrendCache.set(tr.tag, { length: c.length, trend });
    return trend;
  }

  private rawGap(r: StepRecord, subReal: number[], subFake: number[]): number {
    const v = this.v;
    const dr = r.values.get("d_real");
    const df = r.values.get("d_fake");
    if (dr && df && Number.isFinite(dr.value) && Number.isFinite(df.value)) {
      v.gapSource = "logged";
      return gapOf(v.ref, { dReal: dr.value, dFake: df.value }) ?? Number.NaN;
    }
    if (v.ref.family === "lsgan" && subReal.length > 0 && subReal.length === subFake.length) {
      const gap = gapFromTerms([...subReal], [...subFake]);
      if (gap !== undefined) {
        v.gapSource = "per_sub_discriminator";
        return gap;
      }
    }
    const est = estimateDOutputs(
      v.ref,
      (r.values.get("loss_disc") as { value: number }).value,
      (r.values.get("loss_gen") as { value: number }).value,
    );
    if (!est) return Number.NaN;
    v.gapSource ??= "estimated";
    return gapOf(v.ref, est) ?? Number.NaN;
  }

  private raiseDivergenceAlerts(
    step: number,
    f: ReturnType<DivergenceWatch["check"]>,
    events: MonitorEvent[],
  ): void {
    const v = this.v;
    const finiteTags = f.finiteTags.join(", ");
    for (const n of f.nonFinite) {
      this.alert(
        events,
        step,
        "non_finite",
        "critical",
        "nonFinite",
        { tag: n.tag, step, value: String(n.value), finiteTags },
        `nonFinite:${n.tag}`,
      );
    }
    if (f.nonFinite.length > 0 && v.diverged === undefined) {
      const first = f.nonFinite[0];
      v.diverged = {
        step,
        tag: first.tag,
        value: first.value,
        finiteTags: f.finiteTags,
        fromStart: v.judged === 0,
      };
    }
    if (f.explosion) {
      const e = f.explosion;
      v.explosion ??= { step, tag: e.tag, value: e.value };
      this.alert(
        events,
        step,
        "explosion",
        "critical",
        "explosion",
        {
          tag: e.tag,
          step,
          value: e.value,
          reason: e.reason,
          ...(e.limit !== undefined
            ? { limit: e.limit, limitFactor: v.t.explodeAbs }
            : { sustain: v.t.explodeSustain }),
        },
        `explosion:${e.tag}`,
      );
    }
    for (const s of f.spikes) {
      this.alert(events, step, "spike", "warning", "spike", {
        tag: s.tag,
        step,
        value: s.value,
        z: round(s.z),
        median: round(s.median),
      });
    }
    for (const h of f.gradHigh) {
      this.alert(
        events,
        step,
        "grad_norm_high",
        "warning",
        "gradNormHigh",
        { tag: h.tag, step, value: h.value, limit: h.limit },
        `gradHigh:${h.tag}`,
      );
    }
  }

  private startSegment(
    s: { segment: number; step: number; announced: boolean },
    events: MonitorEvent[],
  ): void {
    const v = this.v;
    if (v.resumes.length < 100) v.resumes.push({ segment: s.segment, step: s.step });
    v.machine.newSegment();
    for (const tr of v.trackers.values()) tr.resetWindow();
    v.gap.resetWindow();
    this.recentGaps.clear();
    this.watch.reset();
    this.judgedInSegment = 0;
    v.alerts.forgetOnce("nonFinite:");
    v.alerts.forgetOnce("explosion:");
    this.alert(events, s.step, "resume", "info", "resume", { step: s.step, segment: s.segment });
    if (!s.announced) {
      this.alert(
        events,
        s.step,
        "out_of_order",
        "warning",
        "outOfOrder",
        { count: v.counts.backward },
        "outOfOrder",
      );
    }
  }

  private alert(
    events: MonitorEvent[],
    step: number,
    ...args: Parameters<AlertLog["raise"]> extends [number, ...infer R] ? R : never
  ): void {
    const a = this.v.alerts.raise(step, ...args);
    if (a) events.push({ type: "alert", step, alert: a });
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

  private refreshReference(): void {
    const v = this.v;
    const inputs = {
      optionFamily: this.options.lossFamily,
      hintFamily: v.hints.lossFamily,
      optionK: this.options.discriminators,
      hintK: v.hints.discriminators,
      tagK: this.tagK > 0 ? this.tagK : undefined,
      rvcLike: v.rvcLike,
      negativeGen: this.negativeGen,
    };
    const key = `${inputs.optionFamily}|${inputs.hintFamily}|${inputs.optionK}|${inputs.hintK}|${inputs.tagK}|${inputs.rvcLike}|${inputs.negativeGen}`;
    if (key === v.refKey) return;
    v.refKey = key;
    v.ref = resolveReference(inputs) as Reference;
    for (const tr of v.trackers.values()) this.applyScale(tr);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
