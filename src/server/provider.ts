/**
 * What the dashboard's HTTP layer serves, as an interface: the runs, their columns, the monitor's report,
 * the controller's adjustments, the 2D sample panel, the logged images and audio, and a stream of
 * updates. The HTTP server knows only this; FollowProvider (follow-provider.ts) implements it over followed log files, and `train
 * --serve` adds the live trainer's panels to the same provider.
 *
 * Runs are named to the outside by an opaque `key` ("r0", "r1", ...), never by a path: a request can
 * only pick one of the runs the provider was started on.
 */
import type { Box } from "../data/dataset.ts";
import type { MonitorReport } from "../monitor/types.ts";
import type { SampleTrack } from "../sources/samples.ts";
import type { LossFamily } from "../types.ts";

export interface RunInfo {
  /** Opaque key: the only name a client uses for the run. */
  key: string;
  /** The run's id as discovery found it (a relative path, for display only). */
  id: string;
  /** What the page calls it: the id, or the directory's name for the run at the path itself ("."). */
  name: string;
  format: string;
  lossFamily?: LossFamily;
  discriminators?: number;
  /** The run can show real and generated samples over D's decision map (a 2D trainer run). */
  panel: boolean;
  /** The run's update counter now (see RunColumns.seq): a page whose columns are older reloads them. */
  seq: number;
  /** Images and audio clips its event files log so far (the samples view shows when there are any). */
  samples?: number;
}

/** One series of a run as columns (views: read, never write). */
export interface SeriesColumns {
  tag: string;
  sourceTag: string;
  steps: Float64Array;
  values: Float64Array;
  wallTimes?: Float64Array;
  epochs?: Float64Array;
}

export interface RunColumns {
  /** Update counter of the run: a client applies only `points` updates with a greater seq. */
  seq: number;
  series: SeriesColumns[];
}

/** A controller's adjustment, one line of a run's control.jsonl. */
export interface ControlEvent {
  step: number;
  /** A learning rate, D's updates per step, or R1's weight. */
  kind: "lr_change" | "d_steps_change" | "r1_change";
  from: number;
  to: number;
  reason: string;
  /** Which player's learning rate ("param": "lr_d" / "lr_g" in the controller's lines). */
  player?: "d" | "g";
  /** The monitor's reading the controller acted on, when the line gives it: its state, D gap,
   *  confidence, the balance policy's numbered rule, the evidence with its thresholds. */
  state?: string;
  gap?: number;
  confidence?: number;
  rule?: number;
  evidence?: { signal: string; value: number; threshold?: number; op?: string }[];
  /** A bigger step, taken at once. */
  urgent?: boolean;
}

/** Real and generated samples over D's output on a grid, for 2D trainer runs. */
export interface SamplePanel {
  step: number;
  box: Box;
  /** Interleaved [x0, y0, x1, y1, ...]. */
  real: number[];
  fake: number[];
  /** D's output on an nx × ny grid over the box, row by row from yMin; probabilities for BCE. */
  grid: { nx: number; ny: number; values: number[]; kind: "probability" | "score" };
  /** Where it came from: the live trainer, or the run's last checkpoint. */
  source: "live" | "checkpoint";
  /** The share of G's samples D discarded before `fake` was drawn (a run with --reject). */
  reject?: number;
}

/** New points of a run, grouped by series, in arrival order. */
export interface PointsUpdate {
  type: "points";
  key: string;
  seq: number;
  series: {
    tag: string;
    sourceTag: string;
    steps: number[];
    values: number[];
    wallTimes?: number[];
    epochs?: number[];
  }[];
}

export type ProviderUpdate =
  | { type: "run"; run: RunInfo }
  | PointsUpdate
  /** The run's columns were rebuilt (a log truncated or rotated): reload them. */
  | { type: "reset"; key: string; seq: number }
  /** The monitor saw new steps: its report may have changed. */
  | { type: "report"; key: string }
  | { type: "control"; key: string; events: ControlEvent[] }
  | { type: "panel"; key: string; panel: SamplePanel }
  /** The run's event files logged more images or clips: `count` in all now. */
  | { type: "samples"; key: string; count: number };

export interface DashboardProvider {
  runs(): RunInfo[];
  columns(key: string): RunColumns | undefined;
  report(key: string): MonitorReport | undefined;
  control(key: string): ControlEvent[] | undefined;
  /** The latest sample panel of a run (live, or computed from its checkpoint), if it has one. */
  panel(key: string): Promise<SamplePanel | undefined>;
  /**
   * Optional: the images and audio clips a run's event files log, as an index (tags in name order). A
   * sample's bytes are read from its file only when a page asks for that one sample.
   */
  samples?(key: string): SampleTrack[] | undefined;
  /**
   * The server is answering a page: background work (the monitor's replay of a long log) waits a
   * moment, so the page's own requests get the CPU first.
   */
  requestStarted?(): void;
  /** Calls `listener` with every update from now on; returns the unsubscribe function. */
  subscribe(listener: (update: ProviderUpdate) => void): () => void;
  close(): Promise<void>;
}
