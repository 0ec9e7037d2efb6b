import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { healthy, type Outcome, readOutcomes } from "../bench/steer-outcomes.ts";
import { ceilingRows, harmRows, meanSe, wilson } from "../bench/steer-rows.ts";
import { renderTables } from "../bench/steer-tables.ts";

function outcome(o: Partial<Outcome>): Outcome {
  return {
    part: "table",
    arm: "plain GAN",
    dataset: "ring8",
    seed: 0,
    flags: [],
    modes: 8,
    modes_total: 8,
    hq: 0.9,
    reverse_kl: 0.01,
    jsd: 0.05,
    seconds: 60,
    verdict: "healthy",
    controlEvents: 0,
    r1SwitchedOn: false,
    ...o,
  };
}

test("healthy: at least K − 1 modes and 50% high quality (lenient: 25%)", () => {
  assert.equal(healthy(outcome({ modes: 7, hq: 0.5 })), true);
  assert.equal(healthy(outcome({ modes: 7, hq: 0.4 })), false);
  assert.equal(healthy(outcome({ modes: 7, hq: 0.25 }), true), true);
  assert.equal(healthy(outcome({ modes: 6, hq: 0.9 })), false, "two modes lost is a collapse");
  assert.equal(healthy(outcome({ modes: 8, hq: 0.2 }), true), false, "no structure");
  assert.equal(healthy(outcome({ modes: 24, modes_total: 25, hq: 0.5 })), true);
});

test("mean ± standard error as PacGAN reports it, and Wilson's interval of a share", () => {
  const { m, se } = meanSe([6, 7, 8, 8, 8]);
  assert.equal(m, 7.4);
  assert.ok(Math.abs(se - Math.sqrt(0.8) / Math.sqrt(5)) < 1e-12);
  const [lo, hi] = wilson(8, 10);
  assert.ok(Math.abs(lo - 0.49) < 0.01 && Math.abs(hi - 0.943) < 0.01, `${lo} ${hi}`);
  assert.deepEqual(wilson(0, 0), [0, 1]);
});

test("do no harm is paired over seeds: the mean HQ difference is at least -2 points and no seed loses a mode", () => {
  const rows = [
    outcome({ seed: 0, hq: 0.8 }),
    outcome({ seed: 1, hq: 0.9 }),
    outcome({ seed: 0, arm: "controller", hq: 0.79 }),
    outcome({ seed: 1, arm: "controller", hq: 0.88 }),
    outcome({ seed: 2, arm: "controller", hq: 0.1, modes: 1 }), // no twin without: not paired
    outcome({ seed: 0, steps: 3000, hq: 0.5 }),
    outcome({ seed: 0, steps: 3000, arm: "controller", hq: 0.6, modes: 7, controlEvents: 3 }),
  ];
  const [at3000, full] = harmRows(rows);
  assert.deepEqual(
    [full?.steps, full?.seeds, full?.lostModes, full?.moved, full?.pass],
    [12000, [0, 1], [], [], true],
  );
  assert.ok(Math.abs(full!.diff.m - -1.5) < 1e-9);
  assert.deepEqual(
    [at3000?.steps, at3000?.lostModes, at3000?.pass],
    [3000, [0], false],
    "a lost mode fails it",
  );
  assert.match(
    renderTables(rows),
    /\| plain GAN → controller \| ring8 \| 3000 \| 1 \| 50\.0 \| 60\.0 \| \+10\.0 ± 0\.0 \| 0 \| 1\/1 \| \*\*no\*\* \|/,
  );
});

test("the tables put our arms beside the published rows and count rescues per budget under both rules", () => {
  const rescue = (arm: string, seed: number, modes: number, hq: number, steps = 6000) =>
    outcome({ part: "rescue", setting: "broken", arm, seed, modes, hq, steps });
  const rows = [
    outcome({ seed: 0, modes: 8, hq: 0.9 }),
    outcome({ seed: 1, modes: 6, hq: 0.8 }),
    outcome({ dataset: "grid25", modes: 20, modes_total: 25, hq: 0.3 }),
    rescue("without controller", 0, 1, 0.99),
    rescue("with controller", 0, 8, 0.3), // lenient rescue, not strict
    rescue("without controller", 1, 8, 0.6), // healthy without
    rescue("with controller", 1, 8, 0.4), // and harmed (strict)
    rescue("without controller", 2, 2, 0.1),
    rescue("with controller", 2, 8, 0.7), // rescued under both
    rescue("without controller", 2, 2, 0.1, 3000),
    rescue("with controller", 2, 3, 0.7, 3000),
    // Another setting and dataset on the same seeds: pairs never cross them.
    outcome({
      part: "rescue",
      setting: "other",
      arm: "without controller",
      seed: 0,
      modes: 8,
      hq: 0.9,
      steps: 6000,
    }),
    outcome({
      part: "rescue",
      setting: "broken",
      dataset: "grid25",
      arm: "with controller",
      seed: 1,
      modes: 25,
      modes_total: 25,
      hq: 0.9,
      steps: 6000,
    }),
  ];
  const md = renderTables(rows);
  assert.match(md, /\| PacGAN T1: PacGAN4 \| 7\.8 ± 0\.1 \| 95\.9 ± 1\.4 \|/);
  assert.match(md, /\| VEEGAN T1: GAN \| 1 \| 99\.3 \|/);
  assert.match(md, /\| \*\*Nashboard: plain GAN\*\* \| 7\.0 ± 1\.0 \| 85\.0 ± 5\.0 \|/);
  assert.match(md, /\| 3000 \| 0\/1 \(0%, 0%–79%\) \| 0\/1 \(0%, 0%–79%\) \| 0 \/ 0 \| 1 pairs \|/);
  assert.match(md, /\| 6000 \| 1\/2 \(50%, 9%–91%\) \| 2\/2 \(100%, 34%–100%\) \| 1 \/ 0 \| 3 pairs \|/);
  assert.match(md, /\| broken \| ring8 \| 6000 \| 2\/3 \| 1\/2 \| 2\/3 \| 2\/2 \|/);
  assert.match(md, /s0 1 \/ 99 → 8 \/ 30; s1 8 \/ 60 → 8 \/ 40; s2 2 \/ 10 → 8 \/ 70/);
});

test("outcome files read together: a later file's outcome replaces the same one of an earlier file", () => {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-steer-tables-"));
  try {
    const lines = (...os: Outcome[]) => `${os.map((o) => JSON.stringify(o)).join("\n")}\n`;
    const old = join(dir, "old.jsonl");
    const fresh = join(dir, "fresh.jsonl");
    writeFileSync(
      old,
      lines(
        outcome({ modes: 5 }),
        outcome({ arm: "controller", modes: 6 }),
        outcome({ arm: "controller", steps: 3000, modes: 4 }),
      ),
    );
    writeFileSync(fresh, lines(outcome({ arm: "controller", modes: 8 })));
    const read = readOutcomes(`${old},${fresh}`);
    assert.deepEqual(
      read.map((o) => [o.arm, o.steps, o.modes]),
      [
        ["plain GAN", undefined, 5],
        ["controller", undefined, 8],
        ["controller", 3000, 4],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the ceiling counts the healthy settings' own runs that pass each rule at each budget", () => {
  const outcomes = [
    outcome({ seed: 0, steps: 3000, modes: 8, hq: 0.3 }),
    outcome({ seed: 1, steps: 3000, modes: 7, hq: 0.55 }),
    outcome({ seed: 0, steps: 6000, modes: 8, hq: 0.8 }),
    outcome({ seed: 0, steps: 6000, dataset: "grid25", modes: 18, modes_total: 25, hq: 0.6 }),
    outcome({ seed: 0, steps: 6000, arm: "controller", hq: 0.1 }),
  ];
  const rows = ceilingRows(outcomes);
  assert.deepEqual(
    rows.map((r) => [r.arm, r.dataset, r.steps, r.seeds, r.strict, r.lenient]),
    [
      ["plain GAN", "ring8", 3000, [0, 1], 1, 2],
      ["plain GAN", "ring8", 6000, [0], 1, 1],
      ["plain GAN", "grid25", 6000, [0], 0, 0],
    ],
    "a run with the controller is not a ceiling; 18 of 25 modes fails both rules whatever its HQ",
  );
  assert.match(renderTables(outcomes), /The ceiling[\s\S]*\| plain GAN \| ring8 \| 3000 \| 1\/2 /);
});
