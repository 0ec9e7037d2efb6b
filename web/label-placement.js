/**
 * Where a reference line's label goes (the equilibrium values on the loss charts), for the dashboard's
 * canvas and the HTML report's SVG alike: beside its line, above or below it, at the left, middle or
 * right of the plot, wherever the fewest pixels of curve pass and no other label sits. A label is
 * always wholly inside the plot. Pure geometry in pixels (y grows downwards), no drawing.
 */

/**
 * @typedef {{ left: number, top: number, width: number, height: number }} Box
 * @typedef {{ y: number, width: number, height: number }} LabelIn  the line's y and the text's size
 * @typedef {{ x: number, y: number, width: number, height: number }} Rect  x, y: top-left corner
 * @typedef {{ xs: ArrayLike<number>, ys: ArrayLike<number>, n?: number }} Polyline
 */

/** Pixels between a line and its label, and between a label and the plot's edge. */
const GAP = 3;

/**
 * One rectangle per label, in order; earlier labels are placed first and later ones avoid them.
 * @param {Box} box the plot area
 * @param {LabelIn[]} labels
 * @param {Polyline[]} curves what the labels should not cover
 * @returns {Rect[]}
 */
export function placeLabels(box, labels, curves) {
  /** @type {Rect[]} */
  const placed = [];
  for (const label of labels) {
    let best = candidates(box, label)[0];
    let bestCost = Number.POSITIVE_INFINITY;
    for (const r of candidates(box, label)) {
      let cost = 0;
      for (const c of curves) cost += coveredLength(r, c);
      for (const p of placed) if (overlaps(r, p)) cost += 1e6;
      if (cost < bestCost - 1e-9) {
        best = r;
        bestCost = cost;
      }
    }
    placed.push(best);
  }
  return placed;
}

/**
 * The places a label may take, in the order preferred when none is covered: above its line at the
 * right, at the left, in the middle, then the same below; each moved inside the plot.
 * @param {Box} box
 * @param {LabelIn} label
 * @returns {Rect[]}
 */
function candidates(box, label) {
  const { width, height } = label;
  const xs = [
    box.left + box.width - GAP - width,
    box.left + GAP,
    box.left + (box.width - width) / 2,
    box.left + box.width / 4 - width / 2,
    box.left + (3 * box.width) / 4 - width / 2,
  ];
  const ys = [label.y - GAP - height, label.y + GAP];
  /** @type {Rect[]} */
  const out = [];
  for (const y of ys) {
    for (const x of xs) {
      out.push({
        x: clampTo(x, box.left + GAP, box.left + box.width - GAP - width),
        y: clampTo(y, box.top + GAP, box.top + box.height - GAP - height),
        width,
        height,
      });
    }
  }
  return out;
}

/**
 * Length of the polyline inside the rectangle (each segment clipped to it, Liang–Barsky); a gap (a
 * non-finite point) breaks the line.
 * @param {Rect} r
 * @param {Polyline} c
 */
export function coveredLength(r, c) {
  const n = c.n ?? Math.min(c.xs.length, c.ys.length);
  let total = 0;
  for (let i = 1; i < n; i++) {
    const x0 = c.xs[i - 1];
    const y0 = c.ys[i - 1];
    const x1 = c.xs[i];
    const y1 = c.ys[i];
    if (!(Number.isFinite(x0) && Number.isFinite(y0) && Number.isFinite(x1) && Number.isFinite(y1))) continue;
    if (Math.max(x0, x1) < r.x || Math.min(x0, x1) > r.x + r.width) continue;
    if (Math.max(y0, y1) < r.y || Math.min(y0, y1) > r.y + r.height) continue;
    total += clippedLength(r, x0, y0, x1, y1);
  }
  return total;
}

/** @param {Rect} r @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 */
function clippedLength(r, x0, y0, x1, y1) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  const edges = [
    [-dx, x0 - r.x],
    [dx, r.x + r.width - x0],
    [-dy, y0 - r.y],
    [dy, r.y + r.height - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return 0;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return 0;
  }
  // A point (or a vertical run of points) inside still covers the label: count it as one pixel.
  return Math.max(1, (t1 - t0) * Math.hypot(dx, dy));
}

/** @param {Rect} a @param {Rect} b */
function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** @param {number} v @param {number} lo @param {number} hi */
function clampTo(v, lo, hi) {
  return hi < lo ? lo : Math.min(hi, Math.max(lo, v));
}
