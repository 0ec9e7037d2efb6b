/**
 * Decimation to pixel width, as uPlot's own large-data examples do: the points that fall in one pixel
 * column are replaced by the column's minimum and maximum, in the order they occur, so the drawn line
 * keeps every spike and the envelope of the noise while uPlot gets at most two points per pixel. A
 * million points become a few thousand in one pass; zooming in decimates the visible range again.
 *
 * x need not increase over the whole series (a resumed run's steps go back): each increasing stretch is
 * decimated on its own and the stretches are separated by a gap (null).
 */

/**
 * @param {ArrayLike<number>} xs
 * @param {ArrayLike<number>} ys
 * @param {number} n        points to use (a prefix of the columns)
 * @param {number} xMin     visible range
 * @param {number} xMax
 * @param {number} columns  pixel columns across the range
 * @returns {{ x: number[], y: (number | null)[] }}
 */
export function decimate(xs, ys, n, xMin, xMax, columns) {
  /** @type {number[]} */
  const x = [];
  /** @type {(number | null)[]} */
  const y = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && !(xs[end] < xs[end - 1])) end++;
    if (x.length > 0) {
      // A gap between stretches: the line does not jump back across the chart.
      x.push(x[x.length - 1]);
      y.push(null);
    }
    stretch(xs, ys, start, end, xMin, xMax, columns, x, y);
    start = end;
  }
  return { x, y };
}

/**
 * One increasing stretch [from, to): the points inside the range plus one on each side, so lines run
 * to the chart's edges.
 * @param {ArrayLike<number>} xs
 * @param {ArrayLike<number>} ys
 * @param {number} from
 * @param {number} to
 * @param {number} xMin
 * @param {number} xMax
 * @param {number} columns
 * @param {number[]} x
 * @param {(number | null)[]} y
 */
function stretch(xs, ys, from, to, xMin, xMax, columns, x, y) {
  let i0 = lowerBound(xs, from, to, xMin);
  let i1 = lowerBound(xs, from, to, xMax);
  if (i1 < to && xs[i1] === xMax) i1++;
  if (i0 > from) i0--;
  if (i1 < to) i1++;
  const count = i1 - i0;
  if (count <= 2 * columns) {
    for (let i = i0; i < i1; i++) push(x, y, xs[i], ys[i]);
    return;
  }
  const width = xMax > xMin ? (xMax - xMin) / columns : 1;
  let i = i0;
  while (i < i1) {
    const col = Math.floor((xs[i] - xMin) / width);
    let lo = -1;
    let hi = -1;
    let j = i;
    for (; j < i1 && Math.floor((xs[j] - xMin) / width) === col; j++) {
      const v = ys[j];
      if (!Number.isFinite(v)) {
        // A NaN is data: it stays a point of its own (a gap in the line), between what came before and after.
        if (lo >= 0) flush(xs, ys, lo, hi, x, y);
        lo = -1;
        hi = -1;
        push(x, y, xs[j], v);
        continue;
      }
      if (lo < 0 || v < ys[lo]) lo = j;
      if (hi < 0 || v > ys[hi]) hi = j;
    }
    if (lo >= 0) flush(xs, ys, lo, hi, x, y);
    i = j;
  }
}

/**
 * The column's minimum and maximum, in the order they occur.
 * @param {ArrayLike<number>} xs
 * @param {ArrayLike<number>} ys
 * @param {number} lo
 * @param {number} hi
 * @param {number[]} x
 * @param {(number | null)[]} y
 */
function flush(xs, ys, lo, hi, x, y) {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  push(x, y, xs[a], ys[a]);
  if (b !== a) push(x, y, xs[b], ys[b]);
}

/**
 * @param {number[]} x
 * @param {(number | null)[]} y
 * @param {number} xv
 * @param {number} yv
 */
function push(x, y, xv, yv) {
  x.push(xv);
  y.push(Number.isFinite(yv) ? yv : null);
}

/**
 * The first index in [from, to) whose x is >= v (xs increasing there).
 * @param {ArrayLike<number>} xs
 * @param {number} from
 * @param {number} to
 * @param {number} v
 */
export function lowerBound(xs, from, to, v) {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
