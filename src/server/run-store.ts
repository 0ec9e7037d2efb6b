/**
 * One served run: its series as growing columns, the balance monitor fed with every point (the read
 * logs replayed once, then each new point as it arrives) and an update counter. The columns and the
 * counter change together, synchronously, so a client that loaded the columns at seq n applies exactly
 * the `points` updates numbered above n.
 *
 * The replay runs in the background, in slices of a few milliseconds: the monitor costs microseconds a
 * point, so a log of a million steps would otherwise keep the server from answering for seconds. The
 * curves are served at once; the report fills in as the monitor catches up (`onReport` is called as it
 * does), and points that arrive meanwhile wait for the replay so the monitor sees them in order.
 */
import { basename, resolve } from "node:path";
import { BalanceMonitor, type MonitorOptions } from "../monitor/monitor.ts";
import type { MonitorReport, Snapshot } from "../monitor/types.ts";
import { replayPoints } from "../sources/replay.ts";
import type { Run } from "../sources/run-builder.ts";
import type { ScalarPoint } from "../types.ts";
import { GrowingSeries } from "./growing-series.ts";
import type { PointsUpdate, RunColumns, RunInfo } from "./provider.ts";

export type StoreMonitorOptions = Pick<MonitorOptions, "lossFamily" | "discriminators">;

export interface StoreBackground {
  /** Called when the monitor's report changed without new points (the replay progressed). */
  onReport?: () => void;
  /** True while the server is answering pages: the replay waits (it is the one thing that can). */
  busy?: () => boolean;
  /**
   * Called with the monitor's snapshot after a new point completed a judged step (`watch --steer`
   * steers from it); not for the steps of the logs read at the start, which the run has left behind.
   */
  onJudged?: (s: Snapshot) => void;
}

/** Milliseconds of replay per slice, and between reports while catching up. */
const SLICE_MS = 4;
const REPORT_EVERY_MS = 500;

export class RunStore {
  seq = 0;
  private readonly series = new Map<string, GrowingSeries>();
  private monitor!: BalanceMonitor;
  private cachedReport: MonitorReport | undefined;
  private run!: Run;
  private replay: Generator<ScalarPoint> | undefined;
  private waiting: ScalarPoint[] = [];
  private closed = false;
  private lastReport = 0;

  constructor(
    readonly key: string,
    run: Run,
    private readonly monitorOptions: StoreMonitorOptions = {},
    /** The run can show a sample panel (a 2D trainer run). */
    readonly panel = false,
    private readonly background: StoreBackground = {},
  ) {
    this.load(run);
  }

  /** True while the monitor is still replaying the logs read at the start. */
  get catchingUp(): boolean {
    return this.replay !== undefined;
  }

  /** Stops the background replay. */
  close(): void {
    this.closed = true;
  }

  get id(): string {
    return this.run.id;
  }

  get root(): string {
    return this.run.root;
  }

  /** Replaces everything with the run as read now (at the start, and after a log was rewritten). */
  load(run: Run): void {
    this.run = run;
    this.series.clear();
    for (const s of run.series) this.series.set(seriesKey(s.tag, s.sourceTag), GrowingSeries.from(s));
    this.monitor = new BalanceMonitor({ hints: run.hints, ...this.monitorOptions });
    const starting = this.replay === undefined;
    this.replay = replayPoints(run);
    this.waiting = [];
    this.cachedReport = undefined;
    this.seq++;
    this.pump(performance.now() + SLICE_MS);
    if (starting && this.replay) setImmediate(() => this.pumpLater());
  }

  /** Replays until `until` (a performance.now() time); false when the replay is over. */
  private pump(until: number): boolean {
    const replay = this.replay;
    if (!replay) return false;
    for (;;) {
      for (let i = 0; i < 1024; i++) {
        const next = replay.next();
        if (next.done) {
          this.replay = undefined;
          for (const p of this.waiting) this.monitor.push(p);
          this.waiting = [];
          this.cachedReport = undefined;
          return false;
        }
        this.monitor.push(next.value);
      }
      if (performance.now() >= until) return true;
    }
  }

  private pumpLater(): void {
    if (this.closed) return;
    if (this.background.busy?.()) {
      setTimeout(() => this.pumpLater(), 50);
      return;
    }
    const more = this.pump(performance.now() + SLICE_MS);
    this.cachedReport = undefined;
    const now = performance.now();
    if (!more || now - this.lastReport >= REPORT_EVERY_MS) {
      this.lastReport = now;
      this.background.onReport?.();
    }
    if (more) setImmediate(() => this.pumpLater());
  }

  /** Appends new points; returns the update to send, numbered with the new seq. */
  append(points: ScalarPoint[]): PointsUpdate {
    const groups = new Map<string, PointsUpdate["series"][number]>();
    for (const p of points) {
      const k = seriesKey(p.tag, p.sourceTag);
      let s = this.series.get(k);
      if (s === undefined) {
        s = new GrowingSeries(p.tag, p.sourceTag);
        this.series.set(k, s);
      }
      s.push(p);
      let g = groups.get(k);
      if (g === undefined) {
        g = { tag: p.tag, sourceTag: p.sourceTag, steps: [], values: [] };
        groups.set(k, g);
      }
      const at = g.steps.length;
      g.steps.push(p.step);
      g.values.push(p.value);
      if (p.wallTime !== undefined) {
        g.wallTimes ??= new Array(at).fill(Number.NaN);
        g.wallTimes[at] = p.wallTime;
      }
      if (p.epoch !== undefined) {
        g.epochs ??= new Array(at).fill(Number.NaN);
        g.epochs[at] = p.epoch;
      }
      if (this.replay) this.waiting.push(p);
      else this.pushLive(p);
    }
    // Optional columns line up with the steps: NaN where a point had none.
    for (const g of groups.values()) {
      for (const col of [g.wallTimes, g.epochs]) {
        if (col) for (let i = 0; i < g.steps.length; i++) if (col[i] === undefined) col[i] = Number.NaN;
      }
    }
    this.cachedReport = undefined;
    this.seq++;
    return { type: "points", key: this.key, seq: this.seq, series: [...groups.values()] };
  }

  private pushLive(p: ScalarPoint): void {
    const judged = this.monitor.judgedSteps;
    this.monitor.push(p);
    if (this.background.onJudged && this.monitor.judgedSteps > judged)
      this.background.onJudged(this.monitor.snapshot());
  }

  columns(): RunColumns {
    return { seq: this.seq, series: [...this.series.values()].map((s) => s.view()) };
  }

  /** The monitor's report on everything so far; computed once per change. */
  report(): MonitorReport {
    this.cachedReport ??= this.monitor.report();
    return this.cachedReport;
  }

  info(): RunInfo {
    const report = this.report();
    return {
      key: this.key,
      id: this.run.id,
      name: this.run.id === "." ? basename(resolve(this.run.root)) : this.run.id,
      format: this.run.format,
      lossFamily: report.lossFamily,
      discriminators: report.discriminators,
      panel: this.panel,
      seq: this.seq,
    };
  }
}

function seriesKey(tag: string, sourceTag: string): string {
  return `${tag}\u0000${sourceTag}`;
}
