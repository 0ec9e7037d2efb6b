/**
 * One writer per run directory, with real processes: a second `train` or `--resume` into a directory a
 * trainer holds is refused in one line (exit 2) and writes nothing; a lock left by a killed trainer is
 * taken over with a message; a run killed before its first checkpoint is restarted from step 0 by
 * --resume, never appended to.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { RUN_FILES } from "../src/train/run-files.ts";
import { collect, runCli, trackedCli } from "./helpers/cli.ts";
import { TINY_FLAGS } from "./helpers/tiny-config.ts";

/** Trainers started for a million steps: a failed assertion must not leave one running. */
const trainers = trackedCli();
const startCli = trainers.start;
after(() => trainers.killAll());

const root = mkdtempSync(join(tmpdir(), "nashboard-lock-"));
after(() => rmSync(root, { recursive: true, force: true }));

const LONG = [...TINY_FLAGS, "--steps", "1000000", "--log-interval", "10"];

function loggedSteps(dir: string): number[] {
  const path = join(dir, RUN_FILES.metrics);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { step: number }).step);
}

/** Waits until the trainer has logged `lines` steps into `dir`. */
async function waitForSteps(dir: string, lines: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if (loggedSteps(dir).length >= lines) return;
    } catch {
      // a line being written: look again
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${lines} logged steps in ${dir} within 60 s`);
}

/** A refusal: exit 2, one line on stderr, no stack trace. */
function assertRefused(r: { code: number | null; stderr: string }, mentions: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(r.stderr, mentions);
}

test("while a trainer holds a directory, a second train and a --resume into it are refused in one line and write nothing", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "held");
  const first = startCli(["train", ...LONG, "--checkpoint-interval", "100", "--out", dir]);
  const done = collect(first);
  await waitForSteps(dir, 20);
  const lock = JSON.parse(readFileSync(join(dir, RUN_FILES.lock), "utf8"));
  assert.equal(lock.pid, first.pid);
  assert.equal(lock.host, hostname());
  assert.ok(!Number.isNaN(Date.parse(lock.started)));

  const [second, resume] = await Promise.all([
    runCli(["train", ...TINY_FLAGS, "--steps", "50", "--out", dir]),
    runCli(["train", "--resume", dir]),
  ]);
  assertRefused(second, new RegExp(`in use by another trainer \\(pid ${first.pid} on `));
  assertRefused(resume, /in use by another trainer/);

  first.kill("SIGINT"); // Ctrl-C: stops after the current step with a checkpoint, and releases the lock
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Stopped at step \d+/);
  assert.ok(!existsSync(join(dir, RUN_FILES.lock)), "the lock is released on Ctrl-C");
  const steps = loggedSteps(dir);
  assert.deepEqual(
    steps,
    steps.map((_, i) => (i + 1) * 10),
    "one writer: every step once, in order",
  );
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents.")).length,
    1,
    "the refused processes opened no event file",
  );
});

test("two --resume of one run started at once: exactly one trains, the other is refused, no step twice", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "race");
  const base = await runCli(["train", ...TINY_FLAGS, "--steps", "20", "--log-interval", "10", "--out", dir]);
  assert.equal(base.code, 0, base.stderr);
  const a = startCli(["train", "--resume", dir, "--steps", "1000000"]);
  const b = startCli(["train", "--resume", dir, "--steps", "1000000"]);
  const results = collect(a).then((r) => ({ r, child: a }));
  const resultsB = collect(b).then((r) => ({ r, child: b }));
  // the loser exits at once; then the winner is stopped
  const loser = await Promise.race([results, resultsB]);
  assertRefused(loser.r, /in use by another trainer/);
  const winner = loser.child === a ? b : a;
  await waitForSteps(dir, 5);
  winner.kill("SIGINT");
  const w = await (winner === a ? results : resultsB);
  assert.equal(w.r.code, 0, w.r.stderr);
  const steps = loggedSteps(dir);
  assert.deepEqual(
    steps,
    steps.map((_, i) => (i + 1) * 10),
  );
});

test("a lock left by a dead process on this host is taken over with a message; a live one or another host's is not", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "stale");
  mkdirSync(dir, { recursive: true });
  // a pid that existed and is gone: a child that has exited
  const gone = spawn(process.execPath, ["-e", ""]);
  await new Promise((r) => gone.on("close", r));
  const lockPath = join(dir, RUN_FILES.lock);
  const write = (owner: object) => writeFileSync(lockPath, JSON.stringify(owner));

  write({ pid: process.pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" });
  assertRefused(await runCli(["train", ...TINY_FLAGS, "--steps", "20", "--out", dir]), /in use .*pid \d+/);
  write({ pid: gone.pid, host: "another-machine", started: "2026-01-01T00:00:00.000Z" });
  assertRefused(await runCli(["train", ...TINY_FLAGS, "--steps", "20", "--out", dir]), /another-machine/);
  assert.ok(!existsSync(join(dir, RUN_FILES.metrics)), "a refused run writes nothing");

  write({ pid: gone.pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" });
  const r = await runCli(["train", ...TINY_FLAGS, "--steps", "20", "--out", dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`Took over .*train\\.lock: the trainer that held it \\(pid ${gone.pid} on `),
  );
  assert.ok(!existsSync(lockPath), "released at the end");
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes(".stale-") || f.endsWith(".tmp")),
    [],
  );
});

test("a run killed before its first checkpoint: the same command is refused with the --resume command, which restarts it from step 0", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "early");
  const args = ["train", ...LONG, "--checkpoint-interval", "0", "--out", dir];
  const child = startCli(args);
  const done = collect(child);
  await waitForSteps(dir, 8);
  child.kill("SIGKILL");
  await done;
  assert.ok(!existsSync(join(dir, RUN_FILES.checkpoint)));
  assert.ok(existsSync(join(dir, RUN_FILES.lock)), "SIGKILL leaves the lock behind");
  const before = loggedSteps(dir).length;

  const again = await runCli(args);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /Took over/);
  assert.match(
    again.stderr,
    new RegExp(`continue it with \`nashboard train --resume ${dir} --steps 1000000\``),
  );
  assert.doesNotMatch(again.stderr, /\n\s+at /);
  assert.equal(loggedSteps(dir).length, before, "the refused run appended nothing");

  const resumed = await runCli(["train", "--resume", dir, "--steps", "50"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stderr,
    new RegExp(`holds ${before} logged steps but no checkpoint .*restarting it from step 0`),
  );
  assert.deepEqual(loggedSteps(dir), [10, 20, 30, 40, 50], "each step once, from step 0");
  assert.equal(
    readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents.")).length,
    1,
    "the killed run's event file is gone",
  );
  const monitor = readFileSync(join(dir, RUN_FILES.monitor), "utf8").split("\n").filter(Boolean);
  for (const line of monitor) assert.ok((JSON.parse(line) as { step: number }).step <= 50);
});
