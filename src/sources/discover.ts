/**
 * Which runs a path holds, and which files make each run: the plan that run-source.ts reads and
 * follow.ts watches. Only names and the first KB of text files are looked at here.
 *
 * A file is one run. A directory is walked (hidden directories, node_modules and __pycache__ skipped,
 * symlinked directories not followed), and:
 * - A directory holding event files (`events.out.tfevents.*`), a `metrics.jsonl` or a `train.log` is a
 *   run, as in TensorBoard's logdir; its id is its path relative to the root ("." for the root). This
 *   covers the trainer's run directories (config.json, metrics.jsonl, evals.jsonl, events) and RVC's
 *   `logs/<exp>/` (train.log, event files).
 * - The `eval/` subdirectory of such a run is part of it, not a run of its own: RVC and VITS open a
 *   second writer there that usually writes nothing (a 40-byte event file), and Applio since 2024-12
 *   writes all its scalars there.
 * - Any other text log (.log .txt .out .csv .tsv .jsonl .ndjson .json) whose format is recognised is a run of
 *   its own, its id the file's relative path. A table is only believed in a .csv, .tsv or .txt file:
 *   tools' own logs (RVC's preprocess.log) can look like one.
 * `--format` (options.format) replaces detection for files known by content (a file given directly,
 * train.log, loose logs); event files and the trainer's JSONL files are known by name.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { NashboardError } from "../errors.ts";
import type { Detection } from "./detect.ts";
import type { LogFormat } from "./formats.ts";
import type { ReadNames, RunHints } from "./parser.ts";
import { detectFile } from "./read-file.ts";
import { trainerConfigHints } from "./trainer-config.ts";

/** What a file is to its run; the rank decides which file's copy of a tag is kept (run-builder.ts). */
export type FileRole = "metrics" | "evals" | "train-log" | "events" | "eval-events" | "log";

export const ROLE_RANKS: Readonly<Record<FileRole, number>> = {
  metrics: 0,
  evals: 1,
  "train-log": 2,
  events: 3,
  "eval-events": 4,
  log: 5,
};

export interface RunFile {
  path: string;
  format: LogFormat;
  role: FileRole;
  rank: number;
  /** Size when discovered (progress bars); the file may have grown since. */
  size: number;
  /** Prepended to the file's tags: the trainer's evals.jsonl logs `jsd`, its event file `eval/jsd`. */
  tagPrefix?: string;
  /** How its format was told, when by content (`--series` shows it). */
  detection?: Detection;
}

export interface RunPlan {
  id: string;
  /** The run's directory, or the file for a run of one file. */
  root: string;
  /** Best rank first, then by name. */
  files: RunFile[];
  /** What the run's directory says besides its logs (the trainer's config.json). */
  hints?: RunHints;
}

export interface SkippedFile {
  path: string;
  reason: "unknown-format" | "unreadable";
  /** What detection tried, for an unknown format. */
  detection?: Detection;
}

export interface Discovery {
  path: string;
  kind: "file" | "directory";
  runs: RunPlan[];
  /** Files that looked like logs (by name) but could not be read as one. */
  skipped: SkippedFile[];
}

export interface DiscoverOptions {
  /** Read files known by content as this format instead of detecting it. */
  format?: LogFormat;
  /** The user's names for D's loss, G's loss and the step, for detection and reading. */
  names?: ReadNames;
}

const EVENT_FILE = "events.out.tfevents.";
const LOOSE_LOG = /\.(log|txt|out|csv|tsv|jsonl|ndjson|json)$/i;
/**
 * Files a Nashboard run directory holds besides its logs (src/train/run-files.ts RUN_FILES): records
 * about the run, never runs of their own (report.json's pretty-printed "loss_disc": lines once read as
 * a console log, and the dashboard listed it as a second run).
 */
const TRAINER_RECORDS = new Set([
  "monitor.jsonl",
  "control.jsonl",
  "report.json",
  "result.json",
  "config.json",
  "checkpoint.json",
]);
const TABLE_FILE = /\.(csv|tsv|txt)$/i;
/** JSON files trackers write beside a run that hold no history: W&B's last values and its machine facts. */
const NOT_LOGS = new Set(["wandb-summary.json", "wandb-metadata.json"]);
const SKIPPED_DIRS = new Set(["node_modules", "__pycache__"]);

export async function discoverRuns(path: string, options: DiscoverOptions = {}): Promise<Discovery> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new NashboardError("usage", `no such file or directory: ${path}`);
  }
  const skipped: SkippedFile[] = [];
  if (!info.isDirectory()) {
    const file = await knownByContent(path, "log", info.size, options, skipped, true);
    const runs = file ? [{ id: basename(path), root: path, files: [file] }] : [];
    return { path, kind: "file", runs, skipped };
  }
  const runs: RunPlan[] = [];
  await walk(path, path, options, runs, skipped);
  runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { path, kind: "directory", runs, skipped };
}

async function walk(
  root: string,
  dir: string,
  options: DiscoverOptions,
  runs: RunPlan[],
  skipped: SkippedFile[],
): Promise<void> {
  const entries = await entriesOf(dir);
  const files = entries.filter((e) => e.isFile).map((e) => e.name);
  const subdirs = entries.filter((e) => e.isDirectory).map((e) => e.name);
  const id = relative(root, dir).split(sep).join("/") || ".";
  if (files.includes("meta.yaml") && subdirs.includes("metrics")) {
    // An MLflow file store run: its metrics are its logs, the rest (params, tags, artifacts) is not.
    const plan = await mlflowRun(id, dir);
    if (plan) runs.push(plan);
    return;
  }
  // PyTorch Lightning's CSVLogger writes `version_N/metrics.csv` beside `hparams.yaml`: that folder is a run.
  const isLightning = files.includes("metrics.csv") && files.includes("hparams.yaml");
  const isRun =
    isLightning || files.some((n) => n.includes(EVENT_FILE) || n === "metrics.jsonl" || n === "train.log");
  const taken = new Set<string>();
  if (isRun) {
    const planned: RunFile[] = [];
    const add = async (name: string, role: FileRole, format: LogFormat, tagPrefix?: string) => {
      taken.add(name);
      const path = join(dir, name);
      const size = await sizeOf(path);
      if (size === undefined) skipped.push({ path, reason: "unreadable" });
      else
        planned.push({
          path,
          format,
          role,
          rank: ROLE_RANKS[role],
          size,
          ...(tagPrefix ? { tagPrefix } : {}),
        });
    };
    for (const name of files) {
      // The trainer's own records (the monitor's, the controller's, the report, the result, the
      // config) are outputs about the run, not more logs of it: never read as runs of their own.
      if (TRAINER_RECORDS.has(name)) taken.add(name);
      if (name.includes(EVENT_FILE)) await add(name, "events", "tfevents");
      else if (name === "metrics.jsonl") await add(name, "metrics", "jsonl");
      else if (name === "metrics.csv" && files.includes("hparams.yaml")) await add(name, "metrics", "csv");
      else if (name === "evals.jsonl") await add(name, "evals", "jsonl", "eval/");
      else if (name === "train.log") {
        taken.add(name);
        const path = join(dir, name);
        const file = await knownByContent(path, "train-log", await sizeOf(path), options, skipped, true);
        if (file) planned.push(file);
      }
    }
    if (subdirs.includes("eval")) {
      const evalDir = join(dir, "eval");
      for (const e of await entriesOf(evalDir)) {
        if (!e.isFile || !e.name.includes(EVENT_FILE)) continue;
        const path = join(evalDir, e.name);
        const size = await sizeOf(path);
        if (size !== undefined) {
          planned.push({
            path,
            format: "tfevents",
            role: "eval-events",
            rank: ROLE_RANKS["eval-events"],
            size,
          });
        }
      }
    }
    if (planned.length > 0) {
      const plan: RunPlan = { id, root: dir, files: sortFiles(planned) };
      const hints = files.includes("config.json")
        ? await trainerConfigHints(join(dir, "config.json"))
        : undefined;
      if (hints) plan.hints = hints;
      runs.push(plan);
    }
  }
  const series = new Map<string, RunFile[]>();
  for (const name of files) {
    if (taken.has(name) || !LOOSE_LOG.test(name) || NOT_LOGS.has(name)) continue;
    const path = join(dir, name);
    const file = await knownByContent(path, "log", await sizeOf(path), options, skipped, false);
    if (!file) continue;
    if (file.detection?.oneSeries) {
      const group = seriesGroup(name);
      series.set(group, [...(series.get(group) ?? []), file]);
    } else runs.push({ id: id === "." ? name : `${id}/${name}`, root: path, files: [file] });
  }
  // Files of one quantity each (TensorBoard's CSV downloads, `d_loss.txt` beside `g_loss.txt`) are the
  // run of their folder together: alone, none holds both players' losses.
  for (const [group, members] of series) {
    if (members.length === 1) {
      const name = basename(members[0].path);
      runs.push({ id: id === "." ? name : `${id}/${name}`, root: members[0].path, files: members });
    } else {
      const groupId = group === "" ? id : id === "." ? group : `${id}/${group}`;
      runs.push({ id: groupId, root: dir, files: sortFiles(members) });
    }
  }
  for (const name of subdirs) {
    if (name.startsWith(".") || SKIPPED_DIRS.has(name) || (isRun && name === "eval")) continue;
    await walk(root, join(dir, name), options, runs, skipped);
  }
}

/** TensorBoard names a download `run-<run>-tag-<tag>.csv`: files of one run go together; others by folder. */
function seriesGroup(name: string): string {
  return /^run-(.+)-tag-/.exec(name)?.[1] ?? "";
}

/** An MLflow run directory: one file per metric under `metrics/` (nested for keys with `/`), named in meta.yaml. */
async function mlflowRun(id: string, dir: string): Promise<RunPlan | undefined> {
  const files: RunFile[] = [];
  const collect = async (at: string) => {
    for (const e of await entriesOf(at)) {
      const path = join(at, e.name);
      if (e.isDirectory) await collect(path);
      else if (e.isFile) {
        const size = await sizeOf(path);
        if (size !== undefined)
          files.push({ path, format: "mlflow-metric", role: "metrics", rank: ROLE_RANKS.metrics, size });
      }
    }
  };
  await collect(join(dir, "metrics"));
  if (files.length === 0) return undefined;
  const meta = await readFile(join(dir, "meta.yaml"), "utf8").catch(() => "");
  const name = /^run_name:\s*(.+)$/m
    .exec(meta)?.[1]
    ?.trim()
    .replace(/^['"]|['"]$/g, "");
  return {
    id,
    root: dir,
    files: sortFiles(files),
    ...(name ? { hints: { notes: [`MLflow run ${name}`] } } : {}),
  };
}

/**
 * A file whose format comes from its content (or --format). `explicit`: the user or the run layout
 * says this is a log, so an unrecognised one is reported; a loose file that is not a log is just passed.
 */
async function knownByContent(
  path: string,
  role: FileRole,
  size: number | undefined,
  options: DiscoverOptions,
  skipped: SkippedFile[],
  explicit: boolean,
): Promise<RunFile | undefined> {
  if (size === undefined) {
    skipped.push({ path, reason: "unreadable" });
    return undefined;
  }
  const detection = options.format ? undefined : await detectFile(path, options.names);
  const format = options.format ?? detection?.format;
  // A table is believed in a table file, or when it read a loss: tools' own logs can look like one. A
  // loose JSON document only when it read a loss: most .json files beside a run are its configuration.
  const sure = detection?.confidence === "sure";
  const believable =
    format !== undefined &&
    (format !== "csv" || explicit || TABLE_FILE.test(path) || sure) &&
    (!/\.json$/i.test(path) || explicit || sure);
  if (format === undefined || !believable) {
    if (explicit) skipped.push({ path, reason: "unknown-format", ...(detection ? { detection } : {}) });
    return undefined;
  }
  return { path, format, role, rank: ROLE_RANKS[role], size, ...(detection ? { detection } : {}) };
}

interface Entry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** A directory's entries; a symlink counts as the file it points to, never as a directory (no loops). */
async function entriesOf(dir: string): Promise<Entry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const entries: Entry[] = [];
  for (const d of dirents) {
    let isFile = d.isFile();
    if (d.isSymbolicLink())
      isFile = (await stat(join(dir, d.name)).catch(() => undefined))?.isFile() ?? false;
    entries.push({ name: d.name, isFile, isDirectory: d.isDirectory() });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.size;
}

/** Best rank first, then by path: a run's event files in creation order (their names hold the time). */
export function sortFiles(files: RunFile[]): RunFile[] {
  return [...files].sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
