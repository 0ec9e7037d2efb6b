/**
 * The monitor's O(1) work per point, timed: the same noisy BCE stream (test/helpers/monitor-load.ts) of
 * 100k and of 200k points, `--repeats` times each after a JIT warm-up; reports the median time of each,
 * µs a point and their ratio (2.0 is linear; the old test's limit was 2.6). This was an assertion in
 * test/monitor-perf.test.ts; npm test has no wall-clock limits (a loaded machine fails them with
 * nothing wrong), so the test keeps the bounded-memory checks and the timing is here.
 *
 *   node --import tsx bench/monitor-scaling.ts [--repeats 5] [--json]
 */
import { streamPoints } from "../test/helpers/monitor-load.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--repeats");
const REPEATS = at >= 0 ? Number(args[at + 1]) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

streamPoints(20_000); // warm the JIT
const small: number[] = [];
const large: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  small.push(streamPoints(100_000).ms);
  large.push(streamPoints(200_000).ms);
}
const result = {
  repeats: REPEATS,
  ms100k: Math.round(median(small)),
  ms200k: Math.round(median(large)),
  usPerPoint200k: Number(((1000 * median(large)) / 200_000).toFixed(2)),
  ratio: Number((median(large) / median(small)).toFixed(2)),
};
if (args.includes("--json")) process.stdout.write(`${JSON.stringify(result)}\n`);
else
  process.stdout.write(
    `100k points: ${result.ms100k} ms; 200k points: ${result.ms200k} ms (${result.usPerPoint200k} µs a point); ` +
      `ratio ${result.ratio} (median of ${REPEATS})\n`,
  );
