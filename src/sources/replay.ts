/**
 * A run read into columns, played back as the stream of points a live source would have produced:
 * every tag's points merged in (segment, step) order, tags in the run's order within a step. This is
 * what makes offline analysis a replay of the same stream the monitor sees live.
 */
import type { ScalarPoint } from "../types.ts";
import type { Run } from "./run-builder.ts";

export function* replayPoints(run: Run): Generator<ScalarPoint> {
  const series = run.series;
  const next = new Array<number>(series.length).fill(0);
  // The head with the smallest (segment, step); ties go to the earlier tag. Runs have tens of tags,
  // so a scan of the heads is cheaper than a heap.
  const pick = (): number => {
    let best = -1;
    for (let i = 0; i < series.length; i++) {
      const j = next[i];
      const s = series[i];
      if (j >= s.steps.length) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = series[best];
      const k = next[best];
      if (s.segments[j] < b.segments[k] || (s.segments[j] === b.segments[k] && s.steps[j] < b.steps[k]))
        best = i;
    }
    return best;
  };
  for (let best = pick(); best >= 0; ) {
    const s = series[best];
    const j = next[best]++;
    const point: ScalarPoint = {
      tag: s.tag,
      sourceTag: s.sourceTag,
      step: s.steps[j],
      value: s.values[j],
      segment: s.segments[j],
    };
    const wallTime = s.wallTimes?.[j];
    if (wallTime !== undefined && !Number.isNaN(wallTime)) point.wallTime = wallTime;
    const epoch = s.epochs?.[j];
    if (epoch !== undefined && !Number.isNaN(epoch)) point.epoch = epoch;
    if (s.lowerBounds?.[j]) point.lowerBound = true;
    // The last point of its (segment, step): the step is whole, the monitor may judge it now.
    best = pick();
    const n = best < 0 ? undefined : series[best];
    const k = best < 0 ? 0 : next[best];
    if (n === undefined || n.segments[k] !== point.segment || n.steps[k] !== point.step) point.stepEnd = true;
    yield point;
  }
}
