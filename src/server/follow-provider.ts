/**
 * The dashboard's data over followed logs: the runs under a path, read, replayed through the monitor
 * and then followed as they grow (src/sources/follow.ts). Each follower event becomes one provider
 * update; a run's control.jsonl is polled beside its logs. `train --serve` also hands this provider the
 * live trainer's sample panels (setPanel).
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ControlEvent as SteerEvent } from "../control/controller.ts";
import { STEER_FILE, type SteerRecord } from "../control/steer-file.ts";
import { CONTROL_LOG, Steerer } from "../control/steerer.ts";
import { splitGames, splitGameTag } from "../sources/console/games.ts";
import { type FollowOptions, followRuns, type RunFollower } from "../sources/follow.ts";
import type { Run } from "../sources/run-builder.ts";
import type { ScalarPoint } from "../types.ts";
import { CheckpointPanel } from "./checkpoint-panel.ts";
import { ControlLog } from "./control-log.ts";
import type { ControlEvent, DashboardProvider, ProviderUpdate, RunInfo, SamplePanel } from "./provider.ts";
import { RunStore, type StoreMonitorOptions } from "./run-store.ts";

export interface FollowProviderOptions extends FollowOptions, StoreMonitorOptions {
  /** Milliseconds between looks at the runs' control.jsonl. Default 200. */
  controlPollMs?: number;
  /** `watch --steer`: steer every followed run that can be (src/control/steerer.ts). */
  steer?: SteerOptions;
}

/** Why a followed run is not steered. */
export type SteerSkip = "trainer_run" | "shared_folder";

export interface SteerOptions {
  /** D updates per G update the trainers were started with (default 1). */
  dSteps?: number;
  /** The runs' planned length in training steps, when known. */
  steps?: number;
  onDecision?(runName: string, record: SteerRecord, events: SteerEvent[]): void;
  onSkip?(runName: string, folder: string, why: SteerSkip): void;
  /** Writing the folder's steer file failed: that run is steered no more. */
  onError?(runName: string, error: Error): void;
}

/** Background replays wait while a page made a request this recently (milliseconds). */
const BUSY_MS = 300;

/** Files a trainer run writes besides its logs: discovery would take them for runs of their own. */
const SIDE_FILES = new Set(["monitor.jsonl", CONTROL_LOG]);

export async function createFollowProvider(
  path: string,
  options: FollowProviderOptions = {},
): Promise<FollowProvider> {
  return new FollowProvider(await followRuns(path, options), options);
}

export class FollowProvider implements DashboardProvider {
  private readonly stores = new Map<string, RunStore>();
  /** Per discovery id, its games' stores ("" for a run of one game; CycleGAN's log has "A" and "B"). */
  private readonly byId = new Map<string, Map<string, RunStore>>();
  /** Per store key, the discovery id of its run: the follower knows a run's samples by that id. */
  private readonly runIds = new Map<string, string>();
  private readonly controls = new Map<string, ControlLog>();
  private readonly checkpoints = new Map<string, CheckpointPanel>();
  private readonly livePanels = new Map<string, SamplePanel>();
  /** Per run key, its steerer; per folder, the key of the run that steers it (one steer file a folder). */
  private readonly steerers = new Map<string, { steerer: Steerer; name: string }>();
  private readonly steeredFolders = new Map<string, string>();
  private readonly listeners = new Set<(u: ProviderUpdate) => void>();
  private readonly timer: NodeJS.Timeout;
  private readonly consuming: Promise<void>;
  private polling = false;
  private nextKey = 0;
  private lastRequest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly follower: RunFollower,
    private readonly options: FollowProviderOptions = {},
  ) {
    for (const run of follower.runs) this.adopt(run);
    this.consuming = this.consume();
    this.timer = setInterval(() => void this.pollControls(), options.controlPollMs ?? 200);
    void this.pollControls();
  }

  runs(): RunInfo[] {
    return [...this.stores.values()].map((s) => this.info(s));
  }

  /** A store's RunInfo with the samples its run's files logged so far. */
  private info(store: RunStore): RunInfo {
    const runId = this.runIds.get(store.key);
    return { ...store.info(), samples: runId === undefined ? 0 : this.follower.sampleCount(runId) };
  }

  /** The run's images and clips as indexed now; every game of a log shares its run's. */
  samples(key: string) {
    const runId = this.runIds.get(key);
    return runId === undefined ? undefined : this.follower.samples(runId);
  }

  columns(key: string) {
    return this.stores.get(key)?.columns();
  }

  report(key: string) {
    return this.stores.get(key)?.report();
  }

  control(key: string): ControlEvent[] | undefined {
    const store = this.stores.get(key);
    if (!store) return undefined;
    return [...(this.controls.get(key)?.events ?? [])];
  }

  async panel(key: string): Promise<SamplePanel | undefined> {
    return this.livePanels.get(key) ?? (await this.checkpoints.get(key)?.panel());
  }

  /** The key of the run with this discovery id ("." for the run directory given itself). */
  keyOf(id: string): string | undefined {
    return this.byId.get(id)?.values().next().value?.key;
  }

  /** A panel from the live trainer: shown instead of the checkpoint's, and sent to every page. */
  setPanel(key: string, panel: SamplePanel): void {
    if (!this.stores.has(key)) return;
    this.livePanels.set(key, panel);
    this.emit({ type: "panel", key, panel });
  }

  requestStarted(): void {
    this.lastRequest = performance.now();
  }

  subscribe(listener: (u: ProviderUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.stores.values()) s.close();
    this.listeners.clear();
    await this.follower.close();
    await this.consuming;
  }

  private emit(u: ProviderUpdate): void {
    for (const l of this.listeners) l(u);
  }

  /** A run's stores, one per game (a log of several games is one run per game, as analyze reads it). */
  private adopt(run: Run): RunStore[] {
    if (this.isSideFile(run)) return [];
    return splitGames(run).map((r) => this.adoptGame(r, run.id, splitGameOfRun(r.id, run.id)));
  }

  private adoptGame(run: Run, runId: string, game: string): RunStore {
    const isDir = isDirectory(run.root);
    const panel = isDir && CheckpointPanel.isTrainerRun(run.root);
    const key = `r${this.nextKey++}`;
    const monitorOptions: StoreMonitorOptions = {};
    if (this.options.lossFamily) monitorOptions.lossFamily = this.options.lossFamily;
    if (this.options.discriminators) monitorOptions.discriminators = this.options.discriminators;
    const steerer = this.options.steer ? this.steererFor(run, isDir, panel) : undefined;
    const store = new RunStore(key, run, monitorOptions, panel, {
      onReport: () => this.emit({ type: "report", key }),
      busy: () => performance.now() - this.lastRequest < BUSY_MS,
      ...(steerer ? { onJudged: (snapshot) => this.steer(key, snapshot) } : {}),
    });
    if (steerer) this.steerers.set(key, steerer);
    this.stores.set(key, store);
    this.runIds.set(key, runId);
    const games = this.byId.get(runId) ?? new Map<string, RunStore>();
    games.set(game, store);
    this.byId.set(runId, games);
    if (isDir) this.controls.set(key, new ControlLog(join(run.root, "control.jsonl")));
    if (panel) this.checkpoints.set(key, new CheckpointPanel(run.root));
    return store;
  }

  /**
   * The steerer of a newly followed run, or nothing: a Nashboard trainer run is steered by its own
   * `--controller` (its trainer never reads a steer file), and a folder holds one steer file, so of two
   * runs in one folder (two loose logs, a CycleGAN log's two games) only the first is steered.
   */
  private steererFor(
    run: Run,
    isDir: boolean,
    trainerRun: boolean,
  ): { steerer: Steerer; name: string } | undefined {
    const steer = this.options.steer!;
    const folder = isDir ? run.root : dirname(run.root);
    const name = run.id === "." ? basename(folder) : run.id;
    if (trainerRun) {
      steer.onSkip?.(name, folder, "trainer_run");
      return undefined;
    }
    if (this.steeredFolders.has(folder)) {
      steer.onSkip?.(name, folder, "shared_folder");
      return undefined;
    }
    this.steeredFolders.set(folder, name);
    const steerer = new Steerer(folder, {
      ...(steer.dSteps !== undefined ? { dSteps: steer.dSteps } : {}),
      ...(steer.steps !== undefined ? { steps: steer.steps } : {}),
    });
    return { steerer, name };
  }

  private steer(key: string, snapshot: Parameters<Steerer["observe"]>[0]): void {
    const steering = this.steerers.get(key);
    if (!steering) return;
    const { steerer, name } = steering;
    try {
      const decided = steerer.observe(snapshot);
      if (decided) this.options.steer?.onDecision?.(name, decided.record, decided.events);
    } catch (e) {
      this.steerers.delete(key);
      this.options.steer?.onError?.(name, e as Error);
    }
  }

  /**
   * monitor.jsonl or control.jsonl beside a trainer run's metrics, or control.jsonl beside the steer
   * file `watch --steer` writes (the steered trainer's log may have any name): part of that run, not a run.
   */
  private isSideFile(run: Run): boolean {
    const name = basename(run.root);
    if (run.files.length !== 1 || !SIDE_FILES.has(name)) return false;
    const dir = dirname(run.root);
    return (
      existsSync(join(dir, "metrics.jsonl")) || (name === CONTROL_LOG && existsSync(join(dir, STEER_FILE)))
    );
  }

  private async consume(): Promise<void> {
    for await (const e of this.follower) {
      if (e.type === "run") {
        for (const store of this.adopt(e.run)) this.emit({ type: "run", run: this.info(store) });
        continue;
      }
      const games = this.byId.get(e.runId);
      if (!games) continue;
      if (e.samples > 0) {
        const count = this.follower.sampleCount(e.runId);
        for (const store of games.values()) this.emit({ type: "samples", key: store.key, count });
      }
      if (e.reset || e.superseded.length > 0) {
        // Points given before are void: take the run as the reader holds it now.
        const run = this.follower.snapshot().find((r) => r.id === e.runId);
        if (run) this.reload(run, games);
        continue;
      }
      for (const [game, points] of byGame(e.points)) {
        // A quantity of no game in a log of several (a learning rate) belongs to each of them.
        const shared = game === "" && !games.has("") && games.size > 0;
        for (const store of shared ? games.values() : []) {
          this.emit(store.append(points));
          this.emit({ type: "report", key: store.key });
        }
        if (shared) continue;
        const store = games.get(game);
        if (store) {
          this.emit(store.append(points));
          this.emit({ type: "report", key: store.key });
          continue;
        }
        // A game that appears as the log grows (the first CycleGAN line): its run as read so far.
        const run = this.follower.snapshot().find((r) => r.id === e.runId);
        if (run) this.reload(run, games);
      }
    }
  }

  /** Loads every game of `run` afresh into its store, adopting games not seen before. */
  private reload(run: Run, games: Map<string, RunStore>): void {
    for (const r of splitGames(run)) {
      const game = splitGameOfRun(r.id, run.id);
      const known = games.get(game);
      if (!known) {
        const store = this.adoptGame(r, run.id, game);
        this.emit({ type: "run", run: this.info(store) });
        this.emit({ type: "report", key: store.key });
        continue;
      }
      known.load(r);
      this.steerers.get(known.key)?.steerer.reset();
      this.emit({ type: "reset", key: known.key, seq: known.seq });
      this.emit({ type: "report", key: known.key });
    }
  }

  private async pollControls(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const [key, log] of this.controls) {
        const changed = await log.refresh();
        if (changed) this.emit({ type: "control", key, events: [...log.events] });
      }
    } finally {
      this.polling = false;
    }
  }
}

/** The game of a run split from `runId` (`log.txt#A` -> "A"; the run itself -> ""). */
function splitGameOfRun(id: string, runId: string): string {
  return id.length > runId.length ? id.slice(runId.length + 1) : "";
}

/** Points grouped by game, with the plain tags a game's monitor knows. */
function byGame(points: ScalarPoint[]): Map<string, ScalarPoint[]> {
  const out = new Map<string, ScalarPoint[]>();
  for (const p of points) {
    const [tag, game] = splitGameTag(p.tag);
    const list = out.get(game) ?? [];
    list.push(game === "" ? p : { ...p, tag });
    out.set(game, list);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
