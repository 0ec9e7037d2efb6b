import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type FollowEvent, type FollowOptions, followRuns, type RunFollower } from "../src/sources/follow.ts";
import type { ScalarPoint } from "../src/types.ts";
import {
  concatBytes,
  GrowingFile,
  rvcBlock,
  scalarRecord,
  sleep,
  versionRecord,
} from "./helpers/growing-file.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-follow-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => {
  const dir = join(root, `case-${dirs++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Every event the follower yields, gathered in the background as a consumer would. */
function gather(follower: RunFollower): FollowEvent[] {
  const events: FollowEvent[] = [];
  void (async () => {
    for await (const e of follower) events.push(e);
  })();
  return events;
}

/**
 * Waits until `events` (from `from` on) holds one satisfying `wanted`; returns it. The timeout is a hang
 * guard, far beyond the expected wait: how soon is bench/follow-latency.ts's figure, not a test's limit.
 */
async function waitFor(
  events: FollowEvent[],
  wanted: (e: FollowEvent) => boolean,
  from = 0,
  timeoutMs = 30000,
): Promise<FollowEvent> {
  const started = performance.now();
  for (;;) {
    const hit = events.slice(from).find(wanted);
    if (hit) return hit;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`no such event in ${timeoutMs} ms; got ${JSON.stringify(events.slice(from))}`);
    }
    await sleep(2);
  }
}

const pointsOf = (e: FollowEvent): ScalarPoint[] => (e.type === "points" ? e.points : []);
const hasValue = (tag: string, value: number) => (e: FollowEvent) =>
  pointsOf(e).some((p) => p.tag === tag && Math.abs(p.value - value) < 1e-6);

function follow(path: string, options: FollowOptions = {}): Promise<RunFollower> {
  return followRuns(path, { rescanMs: 300, ...options });
}

test("a text log appended in pieces: a cut line gives no point until its newline arrives", async () => {
  const dir = freshDir();
  const log = new GrowingFile(join(dir, "train.log"));
  log.append(rvcBlock(1, 0, 4.107, 4.434));
  const follower = await follow(dir);
  try {
    assert.equal(follower.runs.length, 1);
    const first = follower.runs[0].series.find((s) => s.tag === "loss_disc")!;
    assert.deepEqual([...first.values], [4.107]);
    const events = gather(follower);
    const block = rvcBlock(2, 200, 3.125, 3.328);
    const cut = block.indexOf("3.125") + 3; // for a while the file ends in "loss_disc=3.1"
    await log.appendInPieces(block, [cut], 300);
    assert.equal(
      events.flatMap(pointsOf).filter((p) => p.tag === "loss_disc").length,
      0,
      "nothing from a cut line",
    );
    await waitFor(events, hasValue("loss_disc", 3.125));
    await sleep(150);
    const disc = events.flatMap(pointsOf).filter((p) => p.tag === "loss_disc");
    assert.deepEqual(
      disc.map((p) => [p.step, p.value, p.epoch]),
      [[200, 3.125, 2]],
      "the half-written 3.1 is never emitted; the whole line once",
    );
  } finally {
    await follower.close();
  }
});

test("an event file growing by records, one cut mid-way, gives each record once, when it is whole", async () => {
  const dir = freshDir();
  const file = new GrowingFile(join(dir, "events.out.tfevents.1700000000.host.1.0"));
  file.append(concatBytes(versionRecord(), scalarRecord(1, { "loss/d/total": 1.5 })));
  const follower = await follow(dir);
  try {
    assert.deepEqual([...follower.runs[0].series[0].values], [1.5]);
    const events = gather(follower);
    const record = scalarRecord(2, { "loss/d/total": 2.5, "loss/g/total": 7 });
    await file.appendInPieces(record, [5, 20], 200);
    await waitFor(events, hasValue("loss_disc", 2.5));
    await sleep(250);
    const points = events.flatMap(pointsOf);
    assert.deepEqual(
      points.map((p) => [p.tag, p.sourceTag, p.step, p.value]),
      [
        ["loss_disc", "loss/d/total", 2, 2.5],
        ["loss_gen_total", "loss/g/total", 2, 7],
      ],
    );
    assert.deepEqual(
      events.flatMap((e) => (e.type === "points" ? e.problems : [])),
      [],
      "a cut record is a state, not a problem",
    );
  } finally {
    await follower.close();
  }
});

test("truncation and rotation read the file again from its start, and say so", async () => {
  const dir = freshDir();
  const log = new GrowingFile(join(dir, "train.log"));
  log.append(rvcBlock(1, 0, 4.1, 4.4) + rvcBlock(2, 200, 3.9, 3.5));
  const follower = await follow(dir);
  try {
    const events = gather(follower);
    // A handler reopened with "w": the file shrinks, then a new run's lines arrive.
    log.truncate(0);
    log.append(rvcBlock(1, 0, 5.5, 1.1));
    await waitFor(events, hasValue("loss_disc", 5.5));
    assert.ok(
      events.some((e) => e.type === "points" && e.reset),
      "a reset is announced",
    );
    // Rotation: the old file moves to train.log.1 and a new train.log starts.
    let from = events.length;
    log.rotate(rvcBlock(3, 400, 2.25, 2.75));
    const rotated = await waitFor(events, hasValue("loss_disc", 2.25), from);
    assert.ok(rotated.type === "points" && rotated.reset);
    assert.deepEqual(
      pointsOf(rotated)
        .filter((p) => p.tag === "loss_disc")
        .map((p) => p.step),
      [400],
    );
    // An atomic rewrite: new content renamed over the old name.
    from = events.length;
    log.replace(rvcBlock(9, 1800, 1.75, 2));
    const replaced = await waitFor(events, hasValue("loss_disc", 1.75), from);
    assert.ok(replaced.type === "points" && replaced.reset);
    const snapshot = follower.snapshot()[0].series.find((s) => s.tag === "loss_disc")!;
    assert.deepEqual([...snapshot.steps], [1800], "the snapshot holds only the current file's points");
  } finally {
    await follower.close();
  }
});

test("new runs and new event files in a followed directory are found", async () => {
  const dir = freshDir();
  const a = join(dir, "a");
  mkdirSync(a);
  const first = concatBytes(versionRecord(), scalarRecord(1, { x: 1 }));
  writeFileSync(join(a, "events.out.tfevents.1700000000.h.1.0"), first);
  const follower = await follow(dir);
  try {
    assert.deepEqual(
      follower.runs.map((r) => r.id),
      ["a"],
    );
    const events = gather(follower);
    const b = join(dir, "b");
    mkdirSync(b);
    writeFileSync(
      join(b, "events.out.tfevents.1700000001.h.2.0"),
      concatBytes(versionRecord(), scalarRecord(5, { y: 2 })),
    );
    const run = await waitFor(events, (e) => e.type === "run");
    assert.ok(run.type === "run");
    assert.equal(run.run.id, "b");
    assert.deepEqual([...run.run.series[0].steps], [5]);
    // A restart writes a second event file into run a.
    writeFileSync(
      join(a, "events.out.tfevents.1700000100.h.3.0"),
      concatBytes(versionRecord(), scalarRecord(1, { x: 3 })),
    );
    const more = await waitFor(events, hasValue("x", 3));
    assert.ok(more.type === "points" && more.runId === "a");
    const x = follower.snapshot().find((r) => r.id === "a")!.series[0];
    assert.deepEqual([...x.values], [1, 3]);
    assert.deepEqual([...x.segments], [0, 1], "the second file restarts at step 1: a new segment");
  } finally {
    await follower.close();
  }
});

test("a trainer run followed live gives metrics.jsonl's points once, not again from its event file", async () => {
  const dir = freshDir();
  const metrics = new GrowingFile(join(dir, "metrics.jsonl"));
  const eventFile = new GrowingFile(join(dir, "events.out.tfevents.1700000000.h.1.0"));
  metrics.append('{"step":10,"loss_disc":1.4}\n');
  eventFile.append(concatBytes(versionRecord(), scalarRecord(10, { loss_disc: 1.4 })));
  const follower = await follow(dir);
  try {
    const events = gather(follower);
    metrics.append('{"step":20,"loss_disc":1.3}\n');
    eventFile.append(scalarRecord(20, { loss_disc: 1.3, "eval/jsd": 0.5 }));
    await waitFor(events, hasValue("eval/jsd", 0.5));
    await waitFor(events, hasValue("loss_disc", 1.3));
    await sleep(250);
    const disc = events.flatMap(pointsOf).filter((p) => p.tag === "loss_disc");
    assert.deepEqual(
      disc.map((p) => p.step),
      [20],
      "step 20's loss_disc comes once",
    );
    const run = follower.snapshot()[0];
    assert.deepEqual([...run.series.find((s) => s.tag === "loss_disc")!.steps], [10, 20]);
  } finally {
    await follower.close();
  }
});

for (const watch of [true, false]) {
  test(`every written point is emitted, whatever the phase of the poll (${watch ? "fs.watch" : "polling only"})`, async (t) => {
    const dir = freshDir();
    const log = new GrowingFile(join(dir, "metrics.jsonl"));
    log.append('{"step":0,"loss_disc":0}\n');
    const follower = await follow(dir, { watch });
    const delays: number[] = [];
    try {
      const events = gather(follower);
      for (let step = 1; step <= 8; step++) {
        await sleep((37 * step) % 90); // writes land at different phases of the poll
        const written = performance.now();
        log.append(`{"step":${step},"loss_disc":${step}}\n`);
        await waitFor(events, hasValue("loss_disc", step));
        delays.push(performance.now() - written);
      }
    } finally {
      await follower.close();
    }
    // The delays are shown, not judged (bench/follow-latency.ts measures them).
    t.diagnostic(`delays ${delays.map((d) => d.toFixed(0)).join(", ")} ms`);
    assert.equal(delays.length, 8);
  });
}

test("close() ends the iteration and leaves no timer or watcher behind", async () => {
  const before = resources();
  const dir = freshDir();
  new GrowingFile(join(dir, "metrics.jsonl")).append('{"step":0,"x":1}\n');
  const follower = await follow(dir);
  const pending = follower[Symbol.asyncIterator]().next();
  const during = resources();
  assert.ok((during.Timeout ?? 0) > (before.Timeout ?? 0), "following keeps timers while it runs");
  assert.ok((during.FSEventWrap ?? 0) > (before.FSEventWrap ?? 0), "and a watcher");
  await follower.close();
  assert.deepEqual(await pending, { value: undefined, done: true });
  await sleep(30); // libuv lets go of a closed watcher's handle a moment after close
  const afterClose = resources();
  assert.equal(afterClose.Timeout ?? 0, before.Timeout ?? 0, "no timer left");
  assert.equal(afterClose.FSEventWrap ?? 0, before.FSEventWrap ?? 0, "no watcher left");
});

test("a process that closes its follower exits by itself", async () => {
  const dir = freshDir();
  new GrowingFile(join(dir, "metrics.jsonl")).append('{"step":0,"x":1}\n');
  const follow = fileURLToPath(new URL("../src/sources/follow.ts", import.meta.url));
  const script = `
    const { followRuns } = await import(${JSON.stringify(pathToFileURL(follow).href)});
    const f = await followRuns(${JSON.stringify(dir)});
    setTimeout(() => f.close(), 300);
    for await (const e of f) {}
    console.log("closed");`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const killer = setTimeout(() => child.kill(), 8000);
  const code = await new Promise((done) => child.on("close", (c) => done(c)));
  clearTimeout(killer);
  assert.equal(code, 0, "exited on its own, not killed");
  assert.match(out, /closed/);
});

test("a missing path is an error at the start", async () => {
  await assert.rejects(followRuns(join(root, "nothing-here")), /no such file or directory/);
});

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}
