import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { healthy, meanSe, type Outcome, readOutcomes, renderTables } from "../bench/steer-tables.ts";

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

test("healthy: at least K − 1 modes and 25% high quality (strict: 50%)", () => {
  assert.equal(healthy(outcome({ modes: 7, hq: 0.25 })), true);
  assert.equal(healthy(outcome({ modes: 6, hq: 0.9 })), false, "two modes lost is a collapse");
  assert.equal(healthy(outcome({ modes: 8, hq: 0.2 })), false, "no structure");
  assert.equal(healthy(outcome({ modes: 24, modes_total: 25, hq: 0.4 }), true), false);
  assert.equal(healthy(outcome({ modes: 24, modes_total: 25, hq: 0.5 }), true), true);
});

test("mean ± standard error as PacGAN reports it (sample standard deviation / sqrt(n))", () => {
  const { m, se } = meanSe([6, 7, 8, 8, 8]);
  assert.equal(m, 7.4);
  assert.ok(Math.abs(se - Math.sqrt(0.8) / Math.sqrt(5)) < 1e-12);
});

test("the tables put our arms beside the published rows and count rescues per seed", () => {
  const rows = [
    outcome({ seed: 0, modes: 8, hq: 0.9 }),
    outcome({ seed: 1, modes: 6, hq: 0.8 }),
    outcome({ dataset: "grid25", modes: 20, modes_total: 25, hq: 0.3 }),
    outcome({ part: "rescue", setting: "broken", arm: "without controller", modes: 1, hq: 0.99 }),
    outcome({
      part: "rescue",
      setting: "broken",
      arm: "with controller",
      modes: 8,
      hq: 0.3,
      r1SwitchedOn: true,
    }),
    outcome({ part: "rescue", setting: "broken", arm: "without controller", seed: 1, modes: 8, hq: 0.6 }),
    outcome({ part: "rescue", setting: "broken", arm: "with controller", seed: 1, modes: 8, hq: 0.6 }),
  ];
  const md = renderTables(rows);
  assert.match(md, /\| PacGAN T1: PacGAN4 \| 7\.8 ± 0\.1 \| 95\.9 ± 1\.4 \|/);
  assert.match(md, /\| VEEGAN T1: GAN \| 1 \| 99\.3 \|/);
  assert.match(md, /\| \*\*Nashboard: plain GAN\*\* \| 7\.0 ± 1\.0 \| 85\.0 ± 5\.0 \|/);
  assert.match(md, /\| broken \| without controller \| 1\/2 \| 1\/2 \| 2\/2 \|/);
  assert.match(md, /\| broken \| with controller \| 2\/2 \| 1\/2 \| 2\/2 \| .* \| 1\/2 \|/);
  assert.match(md, /Rescued \(primary rule\): 1 of the 1 broken runs/);
});

test("outcome files read together: a later file's run replaces the same run of an earlier one", () => {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-steer-tables-"));
  try {
    const lines = (...os: Outcome[]) => `${os.map((o) => JSON.stringify(o)).join("\n")}\n`;
    const old = join(dir, "old.jsonl");
    const fresh = join(dir, "fresh.jsonl");
    writeFileSync(old, lines(outcome({ modes: 5 }), outcome({ arm: "controller", modes: 6 })));
    writeFileSync(fresh, lines(outcome({ arm: "controller", modes: 8 })));
    const read = readOutcomes(`${old},${fresh}`);
    assert.deepEqual(
      read.map((o) => [o.arm, o.modes]),
      [
        ["plain GAN", 5],
        ["controller", 8],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
