/**
 * How fast a TensorBoard event file is read into points, against the floor of reading its bytes and
 * checking one CRC32C over them (no framing, no protobuf, no points). The goal: at least half the floor.
 *
 *   node --import tsx bench/read-speed-tfevents.ts [--scalars 1000000] [--tags 5] [--runs 5]
 *
 * Writes a file of `--scalars` values with the project's EventFileWriter (`--tags` values per step, one
 * event per step, as the trainer logs them) into a temporary directory, then times each reader `--runs`
 * times and reports the median as JSON.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import { EventFileWriter } from "../src/sources/tfevents-writer.ts";
import { crc32c } from "../src/tfrecord/crc32c.ts";

const { values: args } = parseArgs({
  options: {
    scalars: { type: "string", default: "1000000" },
    tags: { type: "string", default: "5" },
    runs: { type: "string", default: "5" },
  },
});
const scalars = Number(args.scalars);
const tagsPerStep = Number(args.tags);
const runs = Number(args.runs);

const dir = mkdtempSync(join(tmpdir(), "nashboard-bench-"));
try {
  // 1. A file like a long training run's: a few tags per step, values that change every step.
  const tags = [
    "loss/d/total",
    "loss/g/adv",
    "d_real",
    "d_fake",
    "learning_rate",
    "grad_norm_d",
    "grad_norm_g",
  ];
  const writer = new EventFileWriter(dir, { flushBytes: 1 << 20 });
  const stepCount = Math.ceil(scalars / tagsPerStep);
  for (let step = 0; step < stepCount; step++) {
    const values: Record<string, number> = {};
    for (let t = 0; t < tagsPerStep; t++)
      values[tags[t % tags.length] + (t >= tags.length ? t : "")] = Math.sin(step + t);
    writer.addScalars(step, values, 1.7e9 + step);
  }
  writer.close();
  const bytes = statSync(writer.path).size;

  // 2. The floor: read the bytes and run one CRC32C over all of them.
  let crc = 0;
  const readFloor = () => {
    crc = crc32c(readFileSync(writer.path));
  };

  // 3. The reader as the StreamParser contract has it: one ScalarPoint object per value.
  let points = 0;
  const readPoints = () => {
    const parser = new TfEventsParser(writer.path);
    const out = parser.push(readFileSync(writer.path));
    points = out.points.length + parser.end(true).points.length;
  };

  // 4. The same reader handing values to a sink that files them into one pair of columns per tag, as a
  //    columnar store would: no object per value.
  let columned = 0;
  const readColumns = () => {
    const parser = new TfEventsParser(writer.path);
    const series = new Map<string, { steps: number[]; values: number[] }>();
    columned = 0;
    const sink = (tag: string, _sourceTag: string, step: number, value: number) => {
      let s = series.get(tag);
      if (s === undefined) {
        s = { steps: [], values: [] };
        series.set(tag, s);
      }
      s.steps.push(step);
      s.values.push(value);
      columned++;
    };
    parser.pushTo(readFileSync(writer.path), sink);
    parser.endTo(true, sink);
  };
  const [floor, pointsMs, columnsMs] = timeTogether([readFloor, readPoints, readColumns]);

  const mb = bytes / 1e6;
  const rate = (ms: number, n: number) => ({
    ms: round(ms),
    MBps: round(mb / (ms / 1000)),
    pointsPerSec: Math.round(n / (ms / 1000)),
    ofFloor: round(floor / ms),
  });
  console.log(
    JSON.stringify(
      {
        file: { bytes, scalars: stepCount * tagsPerStep, tagsPerEvent: tagsPerStep },
        floor: { ms: round(floor), MBps: round(mb / (floor / 1000)), crc32c: crc.toString(16) },
        readPoints: rate(pointsMs, points),
        readColumns: rate(columnsMs, columned),
        goal: "ofFloor >= 0.5",
        runs,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Median wall time in ms of each function over `runs` rounds, after one warm-up round. The functions
 * take turns within a round, so a machine that slows down for a while slows all of them alike.
 */
function timeTogether(fs: (() => void)[]): number[] {
  for (const f of fs) f();
  const ms = fs.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    fs.forEach((f, i) => {
      const t0 = performance.now();
      f();
      ms[i].push(performance.now() - t0);
    });
  }
  return ms.map((m) => m.sort((a, b) => a - b)[Math.floor(m.length / 2)]);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
