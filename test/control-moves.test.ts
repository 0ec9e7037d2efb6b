/**
 * The controller's moves and their bounds: the ordinary ones (one step per interval, D's update count
 * first), the urgent ones on an extreme gap (the player behind raised, the leader halved, R1 switched on).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import { ORDINARY, snapshot } from "./helpers/control.ts";

test("ordinary moves: every `interval` judged steps, D's update count first, then one fixed step, within bounds", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3, dSteps: 2 }, ORDINARY);
  let lrD = 1e-3;
  let lrG = 1e-3;
  const ahead = (n: number) => snapshot("d_dominant", 0.5, n);
  assert.equal(
    c.observe(ahead(3), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 60),
    undefined,
    "not before the first interval",
  );
  const first = c.observe(ahead(5), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 100);
  assert.ok(first);
  assert.deepEqual([first.dSteps, first.lrD, first.lrG], [1, lrD, lrG], "one D update fewer, rates kept");
  assert.deepEqual(
    first.events.map((e) => [e.kind, e.param, e.from, e.to, e.reason, e.urgent]),
    [["d_steps_change", "d_steps", 2, 1, "d_ahead", undefined]],
  );
  assert.equal(
    c.observe(ahead(7), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 140),
    undefined,
    "not twice within an interval",
  );
  const second = c.observe(ahead(10), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 200);
  assert.ok(second);
  assert.ok(Math.abs(second.lrD - 1e-3 * DEFAULT_CONTROLLER.step) < 1e-15, "then lr_d by one step");
  assert.equal(second.lrG, 1e-3, "the other player is not hurried along");
  assert.deepEqual(
    second.events.map((e) => [e.param, e.from, e.reason]),
    [["lr_d", 1e-3, "d_ahead"]],
  );
  for (let n = 15; n < 1000; n += 5) {
    const r = c.observe(ahead(n), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 20 * n);
    if (r) ({ lrD, lrG } = r);
  }
  // An ordinary lead that never answers the rates (grid25's long learning phase) winds up no further
  // than a quarter of the starting rate.
  assert.ok(
    Math.abs(lrD - 1e-3 * DEFAULT_CONTROLLER.ordinaryMinFactor) < 1e-15,
    `lr_d bottoms out at the ordinary bound (${lrD})`,
  );
  assert.equal(lrG, 1e-3, "no rate ever rises above its start");
  assert.equal(
    c.observe(ahead(2000), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40000),
    undefined,
    "no event when the bounds stop a move",
  );
  assert.equal(
    c.observe(snapshot("balanced", 0.1, 2005), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40100),
    undefined,
    "a balanced game is left alone",
  );
  // G ahead: D's updates come first, one per decision, up to maxDSteps (3); only then is G slowed.
  const back = c.observe(snapshot("g_dominant", 0.05, 2010), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40200);
  assert.deepEqual([back?.dSteps, back?.lrD, back?.lrG], [2, lrD, lrG]);
  const more = c.observe(snapshot("g_dominant", 0.05, 2015), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 40300);
  assert.deepEqual([more?.dSteps, more?.lrD, more?.lrG], [3, lrD, lrG], "beyond the configured 2");
  const then = c.observe(snapshot("g_dominant", 0.05, 2020), { lrD: lrD, lrG: lrG, dSteps: 3, r1: 0 }, 40400);
  assert.equal(then?.dSteps, 3, "never beyond maxDSteps");
  assert.ok(then && then.lrG < lrG, "then lr_g comes down");
});

test("a run configured with more D updates than maxDSteps keeps its count as the ceiling", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3, dSteps: 5 }, ORDINARY);
  const g = (n: number, dSteps: number) =>
    c.observe(snapshot("g_dominant", 0.05, n), { lrD: 1e-3, lrG: 1e-3, dSteps, r1: 0 }, 20 * n);
  assert.equal(g(5, 4)?.dSteps, 5);
  const then = g(10, 5);
  assert.equal(then?.dSteps, 5);
  assert.ok(then && then.lrG < 1e-3);
});

test("urgent moves: an extreme gap is acted on from the first judged steps, every 2; the player behind, while slower, is doubled, else the leader halved; D far ahead switches R1 on", () => {
  const c = new LrController({ lrD: 1e-2, lrG: 1e-3, dSteps: 3 });
  const far = (n: number) => snapshot("warmup", 0.85, n, 20 * n);
  assert.equal(c.observe(far(1), { lrD: 1e-2, lrG: 1e-3, dSteps: 3, r1: 0 }, 20), undefined);
  const first = c.observe(far(2), { lrD: 1e-2, lrG: 1e-3, dSteps: 3, r1: 0 }, 40);
  assert.ok(first);
  assert.deepEqual([first.dSteps, first.lrD, first.lrG, first.r1], [2, 1e-2, 2e-3, DEFAULT_CONTROLLER.r1On]);
  assert.ok(first.events.every((e) => e.urgent === true && e.reason === "d_ahead" && e.step === 40));
  assert.deepEqual(
    first.events.map((e) => [e.kind, e.param, e.from, e.to]),
    [
      ["d_steps_change", "d_steps", 3, 2],
      ["r1_change", "r1", 0, 0.1],
      ["lr_change", "lr_g", 1e-3, 2e-3],
    ],
  );
  assert.equal(
    c.observe(far(3), { lrD: 1e-2, lrG: 2e-3, dSteps: 2, r1: 0.1 }, 60),
    undefined,
    "not twice within 2 judged steps",
  );
  const second = c.observe(far(4), { lrD: 1e-2, lrG: 2e-3, dSteps: 2, r1: 0.1 }, 80);
  assert.deepEqual([second?.dSteps, second?.lrD, second?.lrG, second?.r1], [1, 1e-2, 4e-3, 0.1]);
  assert.ok(
    second?.events.every((e) => e.param !== "r1"),
    "R1, once on, stays as it is",
  );
  // G is raised up to raiseCap times its own start (here below the leader's rate), then D is halved.
  const capped = new LrController({ lrD: 1, lrG: 1e-3 });
  let knobs = { lrD: 1, lrG: 1e-3, dSteps: 1, r1: 0.1 };
  const seen: [number, number][] = [];
  for (let n = 2; n <= 12; n += 2) {
    const r = capped.observe(far(n), knobs, 20 * n);
    assert.ok(r);
    knobs = { lrD: r.lrD, lrG: r.lrG, dSteps: r.dSteps, r1: r.r1 };
    seen.push([r.lrD, r.lrG]);
  }
  assert.deepEqual(seen, [
    [1, 2e-3],
    [1, 4e-3],
    [1, 8e-3],
    [1, 1e-2],
    [0.5, 1e-2],
    [0.25, 1e-2],
  ]);
  // Players at the same rate: the leader is halved, the other kept.
  const level = new LrController({ lrD: 1e-3, lrG: 1e-3 }).observe(far(2), {
    lrD: 1e-3,
    lrG: 1e-3,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([level?.lrD, level?.lrG], [5e-4, 1e-3]);
  // G far ahead of a slower D: D is doubled, G kept.
  const g = new LrController({ lrD: 1e-3, lrG: 1e-2 }).observe(snapshot("balanced", -0.5, 2), {
    lrD: 1e-3,
    lrG: 1e-2,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([g?.lrD, g?.lrG, g?.dSteps], [2e-3, 1e-2, 1]);
  // Without the raise (raiseCap 1) the leader alone is halved, as before issue 17's rescue work.
  const noRaise = new LrController({ lrD: 1e-3, lrG: 1e-2 }, { ...DEFAULT_CONTROLLER, raiseCap: 1 });
  const h = noRaise.observe(snapshot("balanced", -0.5, 2), { lrD: 1e-3, lrG: 1e-2, dSteps: 1, r1: 0 });
  assert.deepEqual([h?.lrD, h?.lrG], [1e-3, 5e-3]);
  // A diverging run: both halved at once.
  const both = new LrController({ lrD: 1e-3, lrG: 1e-3 }).observe(snapshot("diverged", Number.NaN, 2), {
    lrD: 1e-3,
    lrG: 1e-3,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([both?.lrD, both?.lrG], [5e-4, 5e-4]);
});
