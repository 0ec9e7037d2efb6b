import assert from "node:assert/strict";
import { before, test } from "node:test";
import { getDataset } from "../src/data/index.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, validateConfig } from "../src/train/config.ts";
import { candidatesFor, keepHighestScored } from "../src/train/rejection.ts";
import { Trainer } from "../src/train/trainer.ts";
import { TINY_CONFIG } from "./helpers/tiny-config.ts";

before(async () => {
  await initBackend();
});

test("candidatesFor: enough draws that discarding the share leaves n", () => {
  assert.equal(candidatesFor(2500, 0), 2500);
  assert.equal(candidatesFor(2500, 0.05), 2632); // 2632 · 0.95 = 2500.4
  assert.equal(candidatesFor(100, 0.5), 200);
});

test("keepHighestScored keeps the n best-scored points in the order drawn; a NaN score ranks last", () => {
  const points = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  const scores = Float32Array.from([0.5, -1, Number.NaN, 2, 0.5]);
  assert.deepEqual(Array.from(keepHighestScored(points, scores, 3)), [0, 0, 3, 3, 4, 4]);
  // a tie at the cut keeps the earlier point
  assert.deepEqual(Array.from(keepHighestScored(points, scores, 2)), [0, 0, 3, 3]);
  assert.deepEqual(Array.from(keepHighestScored(points, scores, 5)), Array.from(points));
  assert.throws(() => keepHighestScored(points, scores.subarray(0, 4), 2), /5 points, 4 scores/);
});

const small = TINY_CONFIG;

test("a run with --reject shows the candidates D scores highest, drawn from the same stream", async () => {
  const plain = new Trainer(small, getDataset("ring8"));
  const rejecting = new Trainer({ ...small, reject: 0.2 }, getDataset("ring8"));
  for (let i = 0; i < 3; i++) for (const t of [plain, rejecting]) t.trainStep(false);
  // Training is the same: rejection acts only on what is sampled afterwards.
  assert.deepEqual(
    rejecting.gan.d.variables.map((v) => Array.from(v.dataSync())),
    plain.gan.d.variables.map((v) => Array.from(v.dataSync())),
  );
  const candidates = await plain.generate(125, 7); // candidatesFor(100, 0.2)
  const kept = await rejecting.generate(100, 7);
  assert.equal(kept.length, 200);
  const scores = tf.tidy(() => plain.gan.d.apply(tf.tensor2d(candidates, [125, 2])).dataSync());
  const key = (a: Float32Array, i: number) => `${a[2 * i]},${a[2 * i + 1]}`;
  const keptKeys = new Set(Array.from({ length: 100 }, (_, i) => key(kept, i)));
  let lowestKept = Infinity;
  let highestDropped = -Infinity;
  let last = -1;
  for (let i = 0; i < 125; i++) {
    if (keptKeys.has(key(candidates, i))) {
      lowestKept = Math.min(lowestKept, scores[i]);
      assert.ok(i > last, "kept points stay in the order drawn");
      last = i;
    } else highestDropped = Math.max(highestDropped, scores[i]);
  }
  assert.ok(lowestKept >= highestDropped, `kept ${lowestKept} vs dropped ${highestDropped}`);
  plain.dispose();
  rejecting.dispose();
});

test("reject must be a share in [0, 1)", () => {
  assert.throws(() => validateConfig({ ...DEFAULT_CONFIG, reject: 1 }), /reject must be in \[0, 1\)/);
  assert.throws(() => validateConfig({ ...DEFAULT_CONFIG, reject: -0.1 }), /reject/);
  assert.equal(validateConfig({ ...DEFAULT_CONFIG, reject: 0.05 }).reject, 0.05);
});

test("the dashboard's sample panel of a run with --reject carries the share, and its samples come through D", async () => {
  const { samplePanel } = await import("../src/server/sample-panel.ts");
  const t = new Trainer({ ...small, reject: 0.5 }, getDataset("ring8"));
  const panel = await samplePanel(t, { samples: 40, grid: 4 });
  assert.equal(panel.reject, 0.5);
  assert.equal(panel.fake.length, 80);
  const p = new Trainer(small, getDataset("ring8"));
  const plain = await samplePanel(p, { samples: 40, grid: 4 });
  assert.equal(plain.reject, undefined);
  assert.notDeepEqual(panel.fake, plain.fake);
  t.dispose();
  p.dispose();
});
