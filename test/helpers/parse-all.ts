/** Feed a whole file to a StreamParser in chunks of `chunk` bytes, as a reader would, and collect all it says. */
import type { StreamParser } from "../../src/sources/parser.ts";
import type { ReadProblem, ScalarPoint } from "../../src/types.ts";

export function parseAll(parser: StreamParser, bytes: Uint8Array, chunk = bytes.length) {
  const points: ScalarPoint[] = [];
  const problems: ReadProblem[] = [];
  const size = Math.max(1, chunk);
  for (let i = 0; i < bytes.length; i += size) {
    const out = parser.push(bytes.subarray(i, i + size));
    points.push(...out.points);
    problems.push(...out.problems);
  }
  const out = parser.end(true);
  return {
    points: [...points, ...out.points],
    problems: [...problems, ...out.problems],
    meta: parser.meta(),
  };
}
