import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";

test("the same seed draws the same numbers, another seed others", () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const xs = Array.from({ length: 20 }, () => a.uniform());
  assert.deepEqual(
    xs,
    Array.from({ length: 20 }, () => b.uniform()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 20 }, () => c.uniform()),
  );
});

test("a restored state continues the stream exactly, spare normal included", () => {
  const a = new Rng(42);
  a.normal(); // leaves a spare normal in the state
  const saved = JSON.parse(JSON.stringify(a.state()));
  const expected = Array.from({ length: 9 }, () => a.normal());
  const b = Rng.fromState(saved);
  assert.deepEqual(
    Array.from({ length: 9 }, () => b.normal()),
    expected,
  );
});

test("uniforms lie in [0,1) with mean 1/2; normals have mean 0 and variance 1", () => {
  const r = new Rng(1);
  const n = 200_000;
  let su = 0;
  let sn = 0;
  let sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
});

test("int(n) covers every value in [0, n) evenly", () => {
  const r = new Rng(3);
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 80_000; i++) counts[r.int(8)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `count ${c}`);
});
