/**
 * The user's names for D's loss, G's loss and the step (`--d-tag`, `--g-tag`, `--step-tag`) applied to
 * what any format reads: the named source tag becomes loss_disc / loss_gen, and whatever the alias table
 * had taken for that quantity goes back to its own name (two curves of "D's loss" would be one too many).
 * The step is each text parser's business (a column, a key); this layer renames tags only.
 */
import type { ReadNames } from "./parser.ts";
import type { PointTarget } from "./read-file.ts";

/** The tag a point gets under the user's names. */
export function namedTag(tag: string, sourceTag: string, names: ReadNames): string {
  if (names.d !== undefined) {
    if (sourceTag === names.d) return "loss_disc";
    if (tag === "loss_disc") return sourceTag;
  }
  if (names.g !== undefined) {
    if (sourceTag === names.g) return "loss_gen";
    if (tag === "loss_gen") return sourceTag;
  }
  return tag;
}

/** `target` as it is without names (the event files' fast path stays); else a renaming wrapper. */
export function withNames(target: PointTarget, names: ReadNames): PointTarget {
  if (names.d === undefined && names.g === undefined) return target;
  return {
    // Key -1: the renamed tag is not the parser's column for that key any more.
    scalar: (tag, sourceTag, step, value, wallTime) =>
      target.scalar(namedTag(tag, sourceTag, names), sourceTag, step, value, wallTime, -1),
    point: (p) => target.point({ ...p, tag: namedTag(p.tag, p.sourceTag, names) }),
    // Samples keep their tags: the names are D's and G's losses.
    ...(target.sample ? { sample: (e) => target.sample?.(e) } : {}),
  };
}
