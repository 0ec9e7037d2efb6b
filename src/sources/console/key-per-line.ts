/**
 * A record printed one `key: value` per line, as a script that loops over its losses dict prints it
 * (and as people reformat a long console line when they paste it):
 *
 *   Epoch: 1
 *   Iters: 3200
 *   G_GAN: 1.442
 *   D_real: 1.121
 *   D_fake: 1.027
 *
 * Lines that each hold one key and one number and nothing else are gathered until a key repeats (the
 * next record), or a line of another kind, a blank line or the end of the text comes; the console reader
 * then reads the record as the one line it stands for, so its position serves all its losses and D's
 * real and fake terms, printed on two lines, are summed as they would be on one (disc-terms.ts).
 */
import type { TextLine } from "../lines.ts";
import { linePairs, type Pair } from "./line-pairs.ts";

/** One key, a `:` or `=`, one value and nothing else (the value's spelling is line-pairs.ts' question). */
const KEY_VALUE_LINE = /^\s*['"]?[A-Za-z_][^:=]*[:=]\s*\S+\s*$/;

export interface KeyLine {
  line: TextLine;
  /** The line's text as the console reader cleaned it (colour codes out). */
  text: string;
  pair: Pair;
}

/** The one pair of a line that is a single `key: value`, else undefined. */
export function keyLinePair(text: string): Pair | undefined {
  if (!KEY_VALUE_LINE.test(text)) return undefined;
  const { pairs, bare } = linePairs(text);
  return pairs.length === 1 && bare.length === 0 ? pairs[0] : undefined;
}

export class KeyPerLineRecord {
  private lines: KeyLine[] = [];
  private readonly keys = new Set<string>();

  get size(): number {
    return this.lines.length;
  }

  /** Whether a line with this key belongs to the record being gathered (false: the key repeats). */
  continuesWith(key: string): boolean {
    return !this.keys.has(key);
  }

  add(line: KeyLine): void {
    this.lines.push(line);
    this.keys.add(line.pair.key);
  }

  /** The record's lines, in order; the record starts again empty. */
  take(): KeyLine[] {
    const lines = this.lines;
    this.lines = [];
    this.keys.clear();
    return lines;
  }
}
