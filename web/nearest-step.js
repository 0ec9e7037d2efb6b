/**
 * The logged step nearest a wanted one, by binary search: where the samples view's sliders stop for a
 * candidate epoch or the latest step, and which step of a ground truth a generated sample is compared
 * with. Pure (no DOM), apart from the view so that the view and its controls share it.
 */

/** The index of the step in `steps` (ascending) nearest `step`; the earlier one on a tie. @param {number[]} steps @param {number} step */
export function nearest(steps, step) {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(steps[lo - 1] - step) <= Math.abs(steps[lo] - step)) return lo - 1;
  return lo;
}
