/**
 * How fast logs are read through the real reading path (discovery, FileTail in 1 MiB chunks, the
 * format's parser, the run's columns: `readRuns`, what `nashboard analyze` runs), against the floor of
 * reading the same bytes and checking one CRC32C over them. Goal for event files: at least half the floor.
 *
 *   node --import tsx bench/read-speed.ts [--scalars 1000000] [--lines 1000000] [--console-lines N] [--runs 5]
 *
 * Generates into a temporary directory: an event file of `--scalars` values written by the project's
 * EventFileWriter (5 tags per step, one event per step, as the trainer logs), an RVC-WebUI train.log
 * of `--lines` lines (file-handler format: epoch line, `[step, lr]`, loss line, and an epoch-end line
 * every 10 blocks), and a console log of `--console-lines` lines (default: `--lines`; 0 leaves it out)
 * in the PyTorch-GAN shape `[Epoch e/200] [Batch b/938] [D loss: …] [G loss: …]`, read by the generic
 * console reader. Each reader runs `--runs` times after a warm-up; the median is reported as JSON.
 *
 * Beside the wall time (what the goal is stated in), each figure has the median CPU time of the process
 * (`cpuMs`, all threads: the reader's file reads run in Node's thread pool). On a machine shared with
 * other work, wall times swing with the load and CPU times much less; the two ratios bracket the truth.
 */
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readRuns } from "../src/sources/run-source.ts";
import { EventFileWriter } from "../src/sources/tfevents-writer.ts";
import { crc32c } from "../src/tfrecord/crc32c.ts";

const { values: args } = parseArgs({
  options: {
    scalars: { type: "string", default: "1000000" },
    lines: { type: "string", default: "1000000" },
    "console-lines": { type: "string" },
    runs: { type: "string", default: "5" },
  },
});
const scalars = Number(args.scalars);
const lines = Number(args.lines);
const consoleLines = Number(args["console-lines"] ?? args.lines);
const runs = Number(args.runs);

const root = mkdtempSync(join(tmpdir(), "nashboard-read-speed-"));
try {
  const eventPath = writeEventFile(join(root, "tfevents"), scalars);
  const logPath = await writeRvcLog(join(root, "rvc"), lines);
  const report = {
    eventFile: await measure(eventPath),
    rvcTrainLog: await measure(logPath),
    ...(consoleLines > 0
      ? { consoleLog: await measure(await writeConsoleLog(join(root, "console"), consoleLines)) }
      : {}),
    goal: "eventFile.readRuns.ofFloor >= 0.5",
    // Issue 13: text logs at 100 MB/s or more.
    textGoal: "rvcTrainLog.readRuns.MBps >= 100",
    runs,
    node: process.version,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  rmSync(root, { recursive: true, force: true });
}

/** Floor and real path for one file: ms, MB/s, points/s and the fraction of the floor's speed. */
async function measure(path: string) {
  const bytes = statSync(path).size;
  let crc = 0;
  let points = 0;
  const floor = async () => {
    const bytes = readFileSync(path);
    // As a plain Uint8Array, like every buffer of the real path: a Buffer here would also make the shared
    // crc32c function see two array types and slow down the reader it is compared with.
    crc = crc32c(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
  const real = async () => {
    const { runs: read } = await readRuns(path);
    points = read[0].series.reduce((n, s) => n + s.steps.length, 0);
  };
  const [[floorMs, floorCpu], [realMs, realCpu]] = await timeTogether([floor, real]);
  const mb = bytes / 1e6;
  return {
    bytes,
    points,
    floor: {
      ms: round(floorMs),
      cpuMs: round(floorCpu),
      MBps: round(mb / (floorMs / 1000)),
      crc32c: crc.toString(16),
    },
    readRuns: {
      ms: round(realMs),
      cpuMs: round(realCpu),
      MBps: round(mb / (realMs / 1000)),
      pointsPerSec: Math.round(points / (realMs / 1000)),
      ofFloor: round(floorMs / realMs),
      ofFloorCpu: round(floorCpu / realCpu),
    },
  };
}

function writeEventFile(dir: string, count: number): string {
  const tags = ["loss/d/total", "loss/g/adv", "d_real", "d_fake", "learning_rate"];
  const writer = new EventFileWriter(dir, { flushBytes: 1 << 20 });
  const steps = Math.ceil(count / tags.length);
  for (let step = 0; step < steps; step++) {
    const values: Record<string, number> = {};
    tags.forEach((tag, t) => {
      values[tag] = Math.sin(step + t);
    });
    writer.addScalars(step, values, 1.7e9 + step);
  }
  writer.close();
  return writer.path;
}

/** An RVC-WebUI train.log: per block `Train Epoch`, `[step, lr]`, the loss line; epochs of 10 blocks. */
async function writeRvcLog(dir: string, count: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "train.log");
  const out = createWriteStream(path);
  const head = "2024-06-13 02:20:09,153\texp\tINFO\t";
  let written = 0;
  let block = 0;
  let buffer = "";
  while (written < count) {
    const epoch = 1 + Math.floor(block / 10);
    const step = block * 200;
    const d = (3.5 + Math.sin(block) * 0.5).toFixed(3);
    const g = (3.1 + Math.cos(block) * 0.5).toFixed(3);
    buffer +=
      `${head}Train Epoch: ${epoch} [${(block % 10) * 10}%]\n` +
      `${head}[${step}, ${1e-4 * 0.999875 ** (epoch - 1)}]\n` +
      `${head}loss_disc=${d}, loss_gen=${g}, loss_fm=9.812,loss_mel=21.564, loss_kl=1.500\n`;
    written += 3;
    if (block % 10 === 9 && written < count) {
      buffer += `${head}====> Epoch: ${epoch} [2024-06-13 02:33:38] | (0:13:28.865716)\n`;
      written++;
    }
    block++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((done) => out.once("drain", () => done()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((done) => out.end(() => done()));
  return path;
}

/** A console log as PyTorch-GAN's scripts print it: one line per batch, 938 batches per epoch. */
async function writeConsoleLog(dir: string, count: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "train.log");
  const out = createWriteStream(path);
  let buffer = "";
  for (let i = 0; i < count; i++) {
    const d = (0.4 + Math.sin(i) * 0.1).toFixed(4);
    const g = (1.1 + Math.cos(i) * 0.2).toFixed(4);
    buffer += `[Epoch ${Math.floor(i / 938)}/200] [Batch ${i % 938}/938] [D loss: ${d}] [G loss: ${g}]\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((done) => out.once("drain", () => done()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((done) => out.end(() => done()));
  return path;
}

/**
 * Median wall time and median CPU time in ms of each function over `runs` rounds, after one warm-up
 * round. The functions take turns within a round, so a machine that slows down for a while slows all of
 * them alike.
 */
async function timeTogether(fs: (() => Promise<void>)[]): Promise<[number, number][]> {
  for (const f of fs) await f();
  const wall = fs.map(() => [] as number[]);
  const cpu = fs.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [i, f] of fs.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await f();
      wall[i].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1000);
    }
  }
  const median = (m: number[]) => m.sort((a, b) => a - b)[Math.floor(m.length / 2)];
  return fs.map((_, i) => [median(wall[i]), median(cpu[i])]);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
