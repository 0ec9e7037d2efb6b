import assert from "node:assert/strict";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseSteerFile, STEER_FILE, type SteerRecord, steerRecord } from "../src/control/steer-file.ts";
import { Steerer } from "../src/control/steerer.ts";
import type { Snapshot } from "../src/monitor/types.ts";
import { createFollowProvider, type SteerSkip } from "../src/server/follow-provider.ts";
import { collect, trackedCli } from "./helpers/cli.ts";

// The steering protocol (issue 17, item 3): `watch --steer` writes the controller's decisions for a
// trainer it does not own, one file per run folder, replaced atomically, with a growing sequence number.
const root = mkdtempSync(join(tmpdir(), "nashboard-steer-"));
const cli = trackedCli();
after(() => {
  cli.killAll();
  rmSync(root, { recursive: true, force: true });
});

/** A logged step of a run whose D separates real from fake almost perfectly (gap 0.9). */
const dAhead = (step: number) =>
  `${JSON.stringify({ step, loss_disc: 0.15 + 0.01 * Math.sin(step), loss_gen: 3.2, d_real: 0.95, d_fake: 0.05 })}\n`;

function snapshot(gap: number, completedSteps: number, step = 20 * completedSteps): Snapshot {
  return {
    step,
    state: "d_dominant",
    confidence: 0.8,
    evidence: [{ signal: "d_gap", value: gap, threshold: 0.35, op: ">" }],
    signals: { d_gap: gap },
    completedSteps,
  };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a steer record round-trips through its parser, which names what is wrong with a bad file", () => {
  const r = steerRecord(
    3,
    240,
    1_765_000_000.25,
    { lrD: 0.5, lrG: 1, dSteps: 2, r1: 0.1 },
    {
      reason: "d_ahead",
      urgent: true,
      reading: { state: "warmup", confidence: 0, rule: 3, gap: 0.84, evidence: [] },
    },
  );
  assert.deepEqual(parseSteerFile(JSON.stringify(r)), r);
  const bad = (patch: Record<string, unknown>) => parseSteerFile(JSON.stringify({ ...r, ...patch }));
  assert.deepEqual(parseSteerFile('{"format": "nashboard-st'), { problem: "not JSON" });
  assert.deepEqual(parseSteerFile("[1]"), { problem: "not a JSON object" });
  assert.deepEqual(bad({ format: "other" }), { problem: 'format is not "nashboard-steer"' });
  assert.deepEqual(bad({ version: 2 }), { problem: "version 2 is not 1" });
  assert.deepEqual(bad({ lr_d_mult: 0 }), { problem: "lr_d_mult is not a positive number" });
  assert.deepEqual(bad({ lr_g_mult: "1" }), { problem: "lr_g_mult is not a positive number" });
  assert.deepEqual(bad({ d_steps: 1.5 }), { problem: "d_steps is not a positive integer" });
  assert.deepEqual(bad({ seq: 0 }), { problem: "seq is not a positive integer" });
  assert.deepEqual(bad({ r1: -1 }), { problem: "r1 is not a number >= 0" });
});

test("the steerer writes each decision as a whole file with the next sequence number, logs it, and goes on from the file's number after a restart", () => {
  const dir = join(root, "steerer");
  mkdirSync(dir);
  const s = new Steerer(dir, { dSteps: 3, now: () => 1_765_000_000 });
  assert.equal(s.observe(snapshot(0.9, 1)), undefined, "urgent moves wait 2 judged steps");
  const first = s.observe(snapshot(0.9, 2));
  assert.ok(first);
  const onDisk = parseSteerFile(readFileSync(join(dir, STEER_FILE), "utf8")) as SteerRecord;
  assert.deepEqual(onDisk, first.record);
  assert.deepEqual(
    [
      onDisk.seq,
      onDisk.step,
      onDisk.lr_d_mult,
      onDisk.lr_g_mult,
      onDisk.d_steps,
      onDisk.r1,
      onDisk.reason,
      onDisk.urgent,
    ],
    [1, 40, 0.5, 1, 2, 0.1, "d_ahead", true],
    "D far ahead: D's rate halved, one D update fewer, R1 on",
  );
  assert.deepEqual(
    [onDisk.reading.state, onDisk.reading.rule, onDisk.reading.gap, onDisk.reading.evidence[0]?.signal],
    ["d_dominant", 3, 0.9, "d_gap"],
    "with the reading that caused it",
  );
  const second = s.observe(snapshot(0.9, 4));
  assert.equal(second?.record.seq, 2);
  assert.equal(second?.record.lr_d_mult, 0.25, "multipliers compound from the trainer's base rate");
  const logged = readFileSync(join(dir, "control.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    logged.map((e) => [e.seq, e.param, e.from, e.to]),
    [
      [1, "d_steps", 3, 2],
      [1, "r1", 0, 0.1],
      [1, "lr_d", 1, 0.5],
      [2, "d_steps", 2, 1],
      [2, "lr_d", 0.5, 0.25],
    ],
  );
  assert.deepEqual(readdirSync(dir).sort(), ["control.jsonl", STEER_FILE], "no temporary file left behind");
  const restarted = new Steerer(dir, { dSteps: 3 });
  assert.equal(restarted.observe(snapshot(0.9, 2))?.record.seq, 3, "a restarted watch goes on from seq 2");
});

test("with the log's learning rates, the steerer compares the players' speeds: G ten times slower is sped up, D is not slowed", () => {
  // lr_g / 10 with D far ahead (issue 17's "3 D steps, lr_g / 10"): in multipliers alone (1 and 1) the
  // two look equally fast and only D is slowed; with the rates the log gives, G is the slower player
  // and a clear failure speeds it instead (controller.ts), as `train --controller` does.
  const dir = join(root, "steerer-rates");
  mkdirSync(dir);
  const s = new Steerer(dir, { dSteps: 3 });
  const withRates = (completedSteps: number): Snapshot => {
    const base = snapshot(0.9, completedSteps);
    return { ...base, signals: { ...base.signals, lr_d: 1e-3, lr_g: 1e-4 } };
  };
  assert.equal(s.observe(withRates(1)), undefined);
  const first = s.observe(withRates(2));
  assert.ok(first);
  assert.equal(first.record.lr_d_mult, 1, "D, the faster player, keeps its rate");
  assert.equal(first.record.lr_g_mult, 2, "G, ten times slower, is doubled");
  const lr = first.events.filter((e) => e.param === "lr_g");
  assert.deepEqual(
    lr.map((e) => [e.from, e.to]),
    [[1e-4, 2e-4]],
    "control.jsonl speaks in the log's rates",
  );
  // Without rates in the log: multipliers alone, D halved as before.
  const plain = new Steerer(join(root, "steerer-plain"), { dSteps: 3 });
  mkdirSync(join(root, "steerer-plain"));
  plain.observe(snapshot(0.9, 1));
  const p = plain.observe(snapshot(0.9, 2));
  assert.deepEqual([p?.record.lr_d_mult, p?.record.lr_g_mult], [0.5, 1]);
});

test("a steerer whose folder cannot be written throws and leaves the previous decision whole", () => {
  const dir = join(root, "gone");
  mkdirSync(dir);
  const s = new Steerer(dir);
  s.observe(snapshot(0.9, 2));
  const before = readFileSync(join(dir, STEER_FILE), "utf8");
  rmSync(dir, { recursive: true });
  assert.throws(() => s.observe(snapshot(0.9, 4)), /ENOENT/);
  assert.equal(existsSync(dir), false);
  assert.ok(parseSteerFile(before));
});

test("watch's provider steers a followed log from its live lines, and leaves Nashboard's own runs alone", async () => {
  const dir = join(root, "follow");
  const run = join(dir, "torch-run");
  const trainer = join(dir, "trainer-run");
  mkdirSync(run, { recursive: true });
  mkdirSync(trainer);
  writeFileSync(join(run, "metrics.jsonl"), "");
  writeFileSync(join(trainer, "config.json"), JSON.stringify({ dataset: "ring8", loss: "bce", steps: 100 }));
  writeFileSync(join(trainer, "metrics.jsonl"), dAhead(20));
  const decisions: SteerRecord[] = [];
  const skips: [string, SteerSkip][] = [];
  const provider = await createFollowProvider(dir, {
    pollMs: 20,
    controlPollMs: 50,
    steer: {
      dSteps: 2,
      onDecision: (_run, r) => decisions.push(r),
      onSkip: (name, _folder, why) => skips.push([name, why]),
    },
  });
  try {
    await until(() => provider.runs().length === 2, "both runs");
    assert.deepEqual(skips, [["trainer-run", "trainer_run"]]);
    for (let step = 20; step <= 200; step += 20) appendFileSync(join(run, "metrics.jsonl"), dAhead(step));
    await until(() => decisions.length >= 2, "two decisions");
    const onDisk = parseSteerFile(readFileSync(join(run, STEER_FILE), "utf8")) as SteerRecord;
    assert.equal(onDisk.seq, decisions.at(-1)?.seq);
    assert.ok(onDisk.lr_d_mult < 1 && onDisk.lr_g_mult === 1, "D far ahead slows D only");
    assert.equal(decisions[0]?.d_steps, 1, "the D updates start from --d-steps 2");
    assert.equal(existsSync(join(trainer, STEER_FILE)), false);
    // The dashboard shows the decisions: they are the run's control.jsonl.
    const key = provider.runs().find((r) => r.name === "torch-run")!.key;
    await until(() => (provider.control(key)?.length ?? 0) > 0, "control events on the dashboard");
    const shown = provider.control(key) ?? [];
    assert.deepEqual(
      [shown[0]?.kind, shown[0]?.rule],
      ["d_steps_change", 3],
      "with the rule that decided (D far ahead)",
    );
    assert.ok(shown.some((e) => e.kind === "lr_change" && e.player === "d"));
    assert.equal(provider.runs().length, 2, "steer.json and control.jsonl are not runs of their own");
  } finally {
    await provider.close();
  }
});

test("a steered log under any name: the control.jsonl watch writes beside it is part of the run, not a run of its own", async () => {
  const dir = join(root, "follow-any-name");
  mkdirSync(dir);
  writeFileSync(join(dir, "train.jsonl"), "");
  const skips: [string, SteerSkip][] = [];
  const decisions: SteerRecord[] = [];
  const provider = await createFollowProvider(dir, {
    pollMs: 20,
    controlPollMs: 50,
    steer: {
      onDecision: (_run, r) => decisions.push(r),
      onSkip: (name, _folder, why) => skips.push([name, why]),
    },
  });
  try {
    for (let step = 20; step <= 200; step += 20) appendFileSync(join(dir, "train.jsonl"), dAhead(step));
    await until(() => decisions.length >= 2, "two decisions");
    // Give the follower a few polls to find control.jsonl, then check it was not adopted.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      provider.runs().map((r) => r.name),
      ["train.jsonl"],
    );
    assert.deepEqual(skips, [], "control.jsonl is not a second run refused a steer file");
  } finally {
    await provider.close();
  }
});

test("nashboard watch --steer prints each decision; --d-steps without --steer is a one-line usage error", async () => {
  const run = join(root, "cli-run");
  mkdirSync(run);
  writeFileSync(join(run, "metrics.jsonl"), "");
  const child = cli.start(["watch", run, "--steer", "--port", "0"]);
  const done = collect(child);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  await until(() => out.includes("Watching"), "the dashboard to start");
  for (let step = 20; step <= 100; step += 20) appendFileSync(join(run, "metrics.jsonl"), dAhead(step));
  await until(() => out.includes("steer lr_d"), "a decision line");
  child.kill("SIGINT");
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /cli-run, step \d+: steer lr_d x0\.500, lr_g x1\.00, D updates 1, R1 0\.1 \(the discriminator is ahead, far/,
  );
  const usage = await collect(cli.start(["watch", run, "--d-steps", "2"]));
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr.trim().split("\n").length, 1, usage.stderr);
  assert.match(usage.stderr, /--d-steps .* add --steer/);
});

test("the README's steer.json example is a valid version-1 record, and its table names every field", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("`steer.json`, version 1:"));
  const json = section.slice(
    section.indexOf("```json") + 7,
    section.indexOf("```", section.indexOf("```json") + 7),
  );
  const r = parseSteerFile(json);
  assert.ok(!("problem" in r), JSON.stringify(r));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("| field")));
  for (const field of Object.keys(r)) assert.match(table, new RegExp(`\`${field}\``), field);
});
