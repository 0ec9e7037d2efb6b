import { scanDecimal, scanned } from "../number-text.ts";
import { ColumnSlot } from "./column-slot.ts";
import { lossClamp, lossTag } from "./loss-pairs.ts";

/**
 * The three messages a train.log is almost all made of, read in place (offsets into the decoded chunk,
 * no substring, no pattern), in their plain shapes only:
 *
 * - `loss_disc=4.107, loss_gen=4.434, loss_fm=10.796,loss_mel=26.703, loss_kl=9.000`: `loss…=number`
 *   pairs, each after a comma and spaces;
 * - `[9800, 9.99875e-05]`, and any list of numbers whose second-to-last is a bare integer (VITS rows);
 * - `Train Epoch: 5 [41%]`.
 *
 * Each recogniser accepts only messages for which the full chain in RvcLogParser.readLine (checkpoint,
 * Applio record, list row, epoch start and end, loss line) would reach the same reader with the same
 * result: a message of these grammars holds no `[` (loss line), no `sav` or `epoch=`, does not begin
 * with `{`, `#` or `====>`, and its numbers are plain decimals, which scanDecimal reads exactly as
 * Number() does. Any other message, or any doubt (a space before `=`, `nan`, a translated `Train
 * Epoch`), is refused, and readLine reads the line as it always has. The messages begin and end with
 * printable ASCII characters and hold no line terminator, which unwrapSpan's callers must ensure.
 */
export class FastLines {
  /** The loss keys of the last loss line, by position: the next line almost always has the same. */
  readonly keys: LossKey[] = [];
  /** The numbers of the message read last. */
  values = new Float64Array(16);
  private readonly keysByName = new Map<string, LossKey>();

  /** The number of `loss…=value` pairs of a plain loss line (keys in `keys`, values in `values`), or -1. */
  lossLine(text: string, from: number, to: number): number {
    let i = from;
    let n = 0;
    for (;;) {
      // `lossX=1` at least: and every look below stays inside the message.
      if (
        to - i < 6 ||
        text.charCodeAt(i) !== 108 || // l
        text.charCodeAt(i + 1) !== 111 || // o
        text.charCodeAt(i + 2) !== 115 || // s
        text.charCodeAt(i + 3) !== 115
      ) {
        return -1;
      }
      let key = this.keys[n];
      let keyEnd = key === undefined ? -1 : i + key.sourceTag.length;
      if (
        key === undefined ||
        keyEnd >= to ||
        text.charCodeAt(keyEnd) !== 61 || // =
        !sameChars(text, i, key.sourceTag)
      ) {
        // `\b(loss\w*)` and then `=` at once (a space before it: refused).
        let j = i + 4;
        while (j < to && isWordChar(text.charCodeAt(j))) j++;
        if (j >= to || text.charCodeAt(j) !== 61) return -1;
        key = this.key(text.slice(i, j));
        this.keys[n] = key;
        keyEnd = j;
      }
      if (!key.plain) return -1;
      const valueEnd = scanDecimal(text, keyEnd + 1, to);
      if (valueEnd < 0) return -1;
      this.store(n++, scanned.value);
      if (valueEnd === to) return n;
      if (text.charCodeAt(valueEnd) !== 44) return -1; // ,
      i = valueEnd + 1;
      while (i < to && text.charCodeAt(i) === 32) i++;
    }
  }

  /**
   * The number of items of a list row `[n, n, ..., step, lr]` (values in `values`), or -1: at least two
   * plain decimals, the second-to-last a bare integer (the step).
   */
  listRow(text: string, from: number, to: number): number {
    if (to - from < 5 || text.charCodeAt(to - 1) !== 93) return -1; // ]
    const close = to - 1;
    let i = from + 1;
    let n = 0;
    // Where the item before the current one and the current one are.
    let beforeFrom = -1;
    let beforeTo = -1;
    for (;;) {
      while (i < close && text.charCodeAt(i) === 32) i++;
      const itemEnd = scanDecimal(text, i, close);
      if (itemEnd < 0) return -1;
      this.store(n++, scanned.value);
      const itemFrom = i;
      i = itemEnd;
      while (i < close && text.charCodeAt(i) === 32) i++;
      if (i === close) {
        // The item before the last is the step: digits only, as isStepText wants.
        if (n < 2) return -1;
        for (let k = beforeFrom; k < beforeTo; k++) {
          if (!isDigit(text.charCodeAt(k))) return -1;
        }
        return n;
      }
      if (text.charCodeAt(i) !== 44) return -1; // ,
      beforeFrom = itemFrom;
      beforeTo = itemEnd;
      i++;
    }
  }

  /** The epoch of `Train Epoch: N [p%]`, or -1. */
  epochStart(text: string, from: number, to: number): number {
    if (to - from < 18 || !sameChars(text, from, "Train Epoch: ")) return -1;
    let i = from + 13;
    const digitsFrom = i;
    let epoch = 0;
    for (; i < to && isDigit(text.charCodeAt(i)); i++) epoch = epoch * 10 + text.charCodeAt(i) - 48;
    if (i === digitsFrom || i - digitsFrom > 15) return -1;
    if (to - i < 5 || text.charCodeAt(i) !== 32 || text.charCodeAt(i + 1) !== 91) return -1; // ` [`
    i += 2;
    const percentFrom = i;
    while (i < to && isDigit(text.charCodeAt(i))) i++;
    if (i === percentFrom) return -1;
    if (i < to && text.charCodeAt(i) === 46) {
      // .
      const fractionFrom = ++i;
      while (i < to && isDigit(text.charCodeAt(i))) i++;
      if (i === fractionFrom) return -1;
    }
    // `%]` and the end.
    return i + 2 === to && text.charCodeAt(i) === 37 && text.charCodeAt(i + 1) === 93 ? epoch : -1;
  }

  private store(at: number, value: number): void {
    if (at === this.values.length) {
      const grown = new Float64Array(at * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[at] = value;
  }

  private key(sourceTag: string): LossKey {
    let key = this.keysByName.get(sourceTag);
    if (key === undefined) {
      key = new LossKey(sourceTag);
      this.keysByName.set(sourceTag, key);
    }
    return key;
  }
}

/** A loss key as parseLossLine names it, with its column slot. */
export class LossKey {
  readonly slot: ColumnSlot;
  /** RVC's clamp for this key (NaN: none, so no value equals it). */
  readonly clamp: number;
  /**
   * False for a key that would make the message something else before it is a loss line: `sav` (a
   * checkpoint line's word, `loss_saved=…`) or `epoch=` (Applio's record, `loss_epoch=…`).
   */
  readonly plain: boolean;

  constructor(readonly sourceTag: string) {
    this.slot = new ColumnSlot(lossTag(sourceTag), sourceTag);
    this.clamp = lossClamp(sourceTag) ?? Number.NaN;
    this.plain = !/sav/i.test(sourceTag) && !sourceTag.endsWith("epoch");
  }
}

/**
 * Whether `word` is at `text[at]` (the caller knows it fits before the message's end). A loop, not
 * startsWith: for a few characters the builtin's call costs several times the comparison.
 */
function sameChars(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `\w`: ASCII letters, digits and `_`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
