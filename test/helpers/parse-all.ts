/** Feed a whole file to a StreamParser in chunks, as a reader would, and collect all it says. */
import type { StreamParser } from "../../src/sources/parser.ts";
import type { ReadProblem, ScalarPoint } from "../../src/types.ts";

/** `bytes` pushed in chunks of `chunk` bytes. */
export function parseAll(parser: StreamParser, bytes: Uint8Array, chunk = bytes.length) {
  const size = Math.max(1, chunk);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return parseChunks(parser, chunks);
}

/** `chunks` pushed in order, then the parser ended as at the end of a complete file. */
export function parseChunks(parser: StreamParser, chunks: Uint8Array[]) {
  const points: ScalarPoint[] = [];
  const problems: ReadProblem[] = [];
  for (const c of chunks) {
    const out = parser.push(c);
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
