/**
 * The axes' rules and the labels' placement (web/axis.js, web/label-placement.js), which the dashboard
 * and the HTML report's SVG charts share: tick labels readable and distinct at every scale, whole
 * numbers only on a count's or a step's axis, the equilibrium inside the y range, a label where no
 * curve covers it and wholly inside the plot.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isCount, niceTicks, tickLabels, yRange } from "../web/axis.js";
import { coveredLength, placeLabels } from "../web/label-placement.js";

test("tick labels are distinct and read back as their ticks, from 1e-9 to 1e9", () => {
  for (let e = -9; e <= 9; e++) {
    for (const [a, b] of [
      [1, 2],
      [1, 1.04],
      [0, 3],
      [-2, 5],
      [0.96, 1.1],
    ]) {
      const lo = a * 10 ** e;
      const hi = b * 10 ** e;
      const ticks = niceTicks(lo, hi, 5);
      const labels = tickLabels(ticks);
      assert.ok(ticks.length >= 2, `${lo}..${hi}: ${ticks}`);
      assert.equal(new Set(labels).size, labels.length, `${lo}..${hi}: ${labels.join(" ")}`);
      const step = ticks[1] - ticks[0];
      labels.forEach((label, i) => {
        assert.ok(Math.abs(Number(label) - ticks[i]) < step / 100, `${label} for ${ticks[i]}`);
        assert.ok(label.length <= 9, `${label} is short`);
      });
    }
  }
});

test("a learning rate's axis is written as configs write it, never 0 0 0", () => {
  assert.deepEqual(tickLabels(niceTicks(1e-4, 2e-4, 5)), [
    "1e-4",
    "1.2e-4",
    "1.4e-4",
    "1.6e-4",
    "1.8e-4",
    "2e-4",
  ]);
  // A constant 1e-3 (the trainer's default rate), as the charts show it.
  const [lo, hi] = yRange(1e-3, 1e-3);
  assert.deepEqual(tickLabels(niceTicks(lo, hi, 4)), ["9e-4", "9.5e-4", "1e-3", "1.05e-3", "1.1e-3"]);
  // A decay from 2e-3 to 1% of it.
  assert.deepEqual(tickLabels(niceTicks(0, 2e-3, 4)), ["0", "5e-4", "1e-3", "1.5e-3", "2e-3"]);
  // Ordinary losses stay in plain decimals, with the digits their spacing needs.
  assert.deepEqual(tickLabels(niceTicks(0.6915, 0.6935, 4)), [
    "0.6915",
    "0.692",
    "0.6925",
    "0.693",
    "0.6935",
  ]);
  assert.deepEqual(tickLabels(niceTicks(0, 48000, 5)), ["0", "10000", "20000", "30000", "40000"]);
  assert.deepEqual(tickLabels(niceTicks(0, 3e6, 3)), ["0", "1e6", "2e6", "3e6"]);
});

test("whole-number axes (steps, counts) never get a fractional tick", () => {
  assert.deepEqual(niceTicks(0, 1, 8, true), [0, 1]);
  assert.deepEqual(niceTicks(-0.4, 8.4, 5, true), [0, 2, 4, 6, 8]);
  assert.deepEqual(niceTicks(0, 1, 8), [0, 0.2, 0.4, 0.6, 0.8, 1], "a loss's axis may");
  assert.equal(isCount([7, 8, Number.NaN, 8], 4), true);
  assert.equal(isCount([7, 7.25], 2), false);
  assert.equal(isCount([Number.NaN], 1), false, "no value, no count");
});

test("the y range holds the equilibrium lines however far the data is from them", () => {
  // fumiama's one-line RVC paste: the losses at 3.3-3.7, the equilibrium (K = 9) at 4.5 and 2.25.
  const [lo, hi] = yRange(3.322, 3.67, [4.5, 2.25]);
  assert.ok(lo < 2.25 && hi > 4.5, `${lo}..${hi}`);
  // with room, so a line never lies on the frame
  assert.ok(2.25 - lo > 0.05 * (hi - lo) && hi - 4.5 > 0.05 * (hi - lo));
  assert.deepEqual(yRange(Number.NaN, Number.NaN), [0, 1]);
});

test("a label goes where no curve passes, beside its line, inside the plot", () => {
  const box = { left: 50, top: 20, width: 400, height: 150 };
  // A curve along the line's right half, just above it: the preferred spot (above, right) is covered.
  const line = 80;
  const curve = { xs: [250, 300, 350, 450], ys: [72, 74, 73, 72] };
  const [r] = placeLabels(box, [{ y: line, width: 100, height: 12 }], [curve]);
  assert.equal(coveredLength(r, curve), 0);
  assert.ok(r.y + r.height <= line || r.y >= line, "beside the line, not across it");
  assert.ok(Math.abs(r.y + r.height / 2 - line) < 20, "next to its line");
  // A line at the very top of the plot: the label goes below it, still inside.
  const [top] = placeLabels(box, [{ y: 21, width: 100, height: 12 }], []);
  assert.ok(top.y >= box.top && top.y + top.height <= box.top + box.height);
  assert.ok(top.y >= 21, "below the line");
  // Two lines close together: their labels do not overlap.
  const [a, b] = placeLabels(
    box,
    [
      { y: 100, width: 120, height: 12 },
      { y: 104, width: 120, height: 12 },
    ],
    [],
  );
  const apart =
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  assert.ok(apart, JSON.stringify([a, b]));
});
