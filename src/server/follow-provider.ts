/**
 * The dashboard's data over followed logs: the runs under a path, read, replayed through the monitor
 * and then followed as they grow (src/sources/follow.ts). Each follower event becomes one provider
 * update; a run's control.jsonl is polled beside its logs. `train --serve` also hands this provider the
 * live trainer's sample panels (setPanel).
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type FollowOptions, followRuns, type RunFollower } from "../sources/follow.ts";
import type { Run } from "../sources/run-builder.ts";
import { CheckpointPanel } from "./checkpoint-panel.ts";
import { ControlLog } from "./control-log.ts";
import type { ControlEvent, DashboardProvider, ProviderUpdate, RunInfo, SamplePanel } from "./provider.ts";
import { RunStore, type StoreMonitorOptions } from "./run-store.ts";

export interface FollowProviderOptions extends FollowOptions, StoreMonitorOptions {
  /** Milliseconds between looks at the runs' control.jsonl. Default 200. */
  controlPollMs?: number;
}

/** Background replays wait while a page made a request this recently (milliseconds). */
const BUSY_MS = 300;

/** Files a trainer run writes besides its logs: discovery would take them for runs of their own. */
const SIDE_FILES = new Set(["monitor.jsonl", "control.jsonl"]);

export async function createFollowProvider(
  path: string,
  options: FollowProviderOptions = {},
): Promise<FollowProvider> {
  return new FollowProvider(await followRuns(path, options), options);
}

export class FollowProvider implements DashboardProvider {
  private readonly stores = new Map<string, RunStore>();
  private readonly byId = new Map<string, RunStore>();
  private readonly controls = new Map<string, ControlLog>();
  private readonly checkpoints = new Map<string, CheckpointPanel>();
  private readonly livePanels = new Map<string, SamplePanel>();
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
    return [...this.stores.values()].map((s) => s.info());
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
    return this.byId.get(id)?.key;
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

  private adopt(run: Run): RunStore | undefined {
    if (this.isSideFile(run)) return undefined;
    const isDir = isDirectory(run.root);
    const panel = isDir && CheckpointPanel.isTrainerRun(run.root);
    const key = `r${this.nextKey++}`;
    const monitorOptions: StoreMonitorOptions = {};
    if (this.options.lossFamily) monitorOptions.lossFamily = this.options.lossFamily;
    if (this.options.discriminators) monitorOptions.discriminators = this.options.discriminators;
    const store = new RunStore(key, run, monitorOptions, panel, {
      onReport: () => this.emit({ type: "report", key }),
      busy: () => performance.now() - this.lastRequest < BUSY_MS,
    });
    this.stores.set(key, store);
    this.byId.set(run.id, store);
    if (isDir) this.controls.set(key, new ControlLog(join(run.root, "control.jsonl")));
    if (panel) this.checkpoints.set(key, new CheckpointPanel(run.root));
    return store;
  }

  /** monitor.jsonl or control.jsonl beside a trainer run's metrics: part of that run, not a run. */
  private isSideFile(run: Run): boolean {
    if (run.files.length !== 1 || !SIDE_FILES.has(basename(run.root))) return false;
    const dir = dirname(run.root);
    return existsSync(join(dir, "metrics.jsonl"));
  }

  private async consume(): Promise<void> {
    for await (const e of this.follower) {
      if (e.type === "run") {
        const store = this.adopt(e.run);
        if (store) this.emit({ type: "run", run: store.info() });
        continue;
      }
      const store = this.byId.get(e.runId);
      if (!store) continue;
      if (e.reset || e.superseded.length > 0) {
        // Points given before are void: take the run as the reader holds it now.
        const run = this.follower.snapshot().find((r) => r.id === e.runId);
        if (!run) continue;
        store.load(run);
        this.emit({ type: "reset", key: store.key, seq: store.seq });
      } else if (e.points.length > 0) {
        this.emit(store.append(e.points));
      } else continue;
      this.emit({ type: "report", key: store.key });
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
