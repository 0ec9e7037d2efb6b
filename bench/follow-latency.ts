/**
 * How soon a line appended to a followed log is emitted as points, with fs.watch and with polling only:
 * `--writes` appends per mode, landing at different phases of the poll. This was a 250 ms limit in
 * test/follow.test.ts; npm test has no wall-clock limits (a loaded machine fails them with nothing
 * wrong), so the test keeps that every point is emitted and this script says how soon.
 *
 *   node --import tsx bench/follow-latency.ts [--writes 40] [--json]
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FollowEvent, followRuns } from "../src/sources/follow.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--writes");
const WRITES = at >= 0 ? Number(args[at + 1]) : 40;
const JSON_OUT = args.includes("--json");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function delays(watch: boolean): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-follow-latency-"));
  const log = join(dir, "metrics.jsonl");
  writeFileSync(log, '{"step":0,"loss_disc":0}\n');
  const follower = await followRuns(dir, { rescanMs: 300, watch });
  const seen = new Set<number>();
  void (async () => {
    for await (const e of follower as AsyncIterable<FollowEvent>) {
      if (e.type === "points") for (const p of e.points) if (p.tag === "loss_disc") seen.add(p.value);
    }
  })();
  const out: number[] = [];
  try {
    for (let step = 1; step <= WRITES; step++) {
      await sleep((37 * step) % 90); // writes land at different phases of the poll
      const written = performance.now();
      appendFileSync(log, `{"step":${step},"loss_disc":${step}}\n`);
      while (!seen.has(step)) await sleep(1);
      out.push(performance.now() - written);
    }
  } finally {
    await follower.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]);
  return { median: q(0.5), p90: q(0.9), worst: Math.round(s[s.length - 1]) };
};
const result = {
  writes: WRITES,
  watchMs: summary(await delays(true)),
  pollingMs: summary(await delays(false)),
};
if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
else
  for (const [mode, r] of [
    ["fs.watch", result.watchMs],
    ["polling only", result.pollingMs],
  ] as const)
    process.stdout.write(
      `${mode}: median ${r.median} ms, p90 ${r.p90} ms, worst ${r.worst} ms (${WRITES} writes)\n`,
    );
