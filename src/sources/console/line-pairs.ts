/**
 * The `name: value` pairs of one console line, in whichever way a training script printed them:
 *
 *   [Epoch 3/200] [Batch 120/938] [D loss: 0.4120] [G loss: 1.1021]
 *   33 [D loss: 0.6891, acc.: 54.69%] [G loss: 0.7213]
 *   epoch 3, step 1200: d_loss = 0.41, g_loss = 1.10
 *   {'d_loss': 0.41, 'g_loss': tensor(1.1021, grad_fn=<AddBackward0>)}
 *   938/938 [======] - 41s 44ms/step - d_loss: 0.4100 - g_loss: 1.1000
 *   100%|███| 938/938 [00:41<00:00, d_loss=0.41, g_loss=1.1]
 *   >12, 3/234, d1=0.612, d2=0.701 g=0.811
 *
 * A key is one to four words (`D loss`, `Loss_D`, `D(G(z))`, `acc.`), separated from its value by `:`,
 * `=` or spaces; the value is a number (NaN and inf spellings included), possibly wrapped the way
 * PyTorch, TensorFlow and NumPy print a scalar (`tensor(0.41)`, `tf.Tensor(0.41, ...)`,
 * `<tf.Tensor: ... numpy=0.41>`, `array(0.41)`, `[0.41]`), possibly a percentage, possibly followed by
 * `/total` (`Epoch 3/200`). Numbers with no key before them are kept apart as bare numbers: the leading
 * iteration of Keras-GAN lines and `120/938` batch counters are positions, not values.
 */
import { NUMBER_PATTERN, parseLogNumber } from "../number-text.ts";

export interface Pair {
  key: string;
  value: number;
  /** The value was a list (`D-Loss=[0.94, 0.51]`, real and fake terms): this many numbers, summed. */
  parts?: number;
  /** A list without brackets up to a `|` or the line's end (`D: 0.11, 0.10, 0.11 |`): one value each. */
  list?: number[];
  /** `/200` after the value: the epoch's or batch's total. */
  total?: number;
  percent: boolean;
}

export interface BareNumber {
  value: number;
  total?: number;
  /** Its offset in the line: a number at the very start is a line's iteration in Keras-GAN style. */
  at: number;
}

export interface LinePairs {
  pairs: Pair[];
  bare: BareNumber[];
}

const WORD = String.raw`[A-Za-z_][A-Za-z0-9_.()\/+-]*`;
const WRAP = String.raw`(?:<tf\.Tensor:[^>]*?numpy=|(?:tf\.Tensor|tensor|array|np\.float\d*|float\d*)\(\s*|\[\s*)?`;
const N = NUMBER_PATTERN;
/**
 * key, separator, wrapped value, `%`, `/total`. The key starts at a word boundary (so `44ms` is no key
 * `ms`) and is one to four words; quotes around it are Python's dict print.
 */
/** What may not follow a number: more of a word or of a number (`1.2.3`); `0.39...` and `0.39.` may. */
const END = String.raw`(?![A-Za-z0-9_]|\.\d)`;
const PAIR = new RegExp(
  String.raw`(?<![A-Za-z0-9_.])['"]?(${WORD}(?:[ \t]${WORD}){0,3}?)['"]?(?:\s*[:=]\s*|[ \t]+)${WRAP}(${N})${END}(%)?(?:\s*\/\s*(\d+)(?!\d|\.\d))?`,
  "gi",
);
const BARE = new RegExp(String.raw`(?<![A-Za-z0-9_.])(${N})${END}(?!%)(?:\s*\/\s*(\d+)(?!\d|\.\d))?`, "gi");
/** The rest of a list without brackets: `, 0.10, 0.13` and then a `|` or the line's end. */
const OPEN_LIST_REST = new RegExp(String.raw`^((?:\s*,\s*(?:${NUMBER_PATTERN}))+)(?=\s*(?:\||$))`, "i");
/** `,100` groups right after a number, and then no more digits. */
const THOUSANDS = /^(?:,\d{3})+(?![\d.])/;
/** The rest of a list after its first number: `, 0.51]`. */
const LIST_REST = new RegExp(String.raw`^((?:\s*,\s*(?:${N}))+)\s*\]`, "i");
/** Names first, then as many values: `generator loss | discriminator loss : 3.75 | 0.99`. */
const NAMES_THEN_VALUES = new RegExp(
  String.raw`((?:${WORD}(?:[ \t]+${WORD})*\s*\|\s*)+${WORD}(?:[ \t]+${WORD})*)\s*[:=]\s*((?:(?:${N})\s*\|\s*)+(?:${N}))${END}`,
  "i",
);

/** A key ending in an alias word joined to a slash-path (`train/d_loss`) keeps only its last part. */
function cleanKey(raw: string): string {
  const k = raw.trim().replace(/:+$/, "");
  const slash = k.lastIndexOf("/");
  return slash >= 0 && slash < k.length - 1 ? k.slice(slash + 1) : k;
}

export function linePairs(text: string): LinePairs {
  const pairs: Pair[] = [];
  const bare: BareNumber[] = [];
  const taken: [number, number][] = [];
  const grouped = text.includes("|") ? NAMES_THEN_VALUES.exec(text) : null;
  if (grouped) {
    const names = grouped[1].split("|").map((n) => n.trim());
    const values = grouped[2].split("|").map((v) => parseLogNumber(v));
    if (names.length === values.length && values.every((v) => v !== undefined)) {
      names.forEach((key, i) => {
        pairs.push({ key, value: values[i]!, percent: false });
      });
      taken.push([grouped.index, grouped.index + grouped[0].length]);
    }
  }
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    if (taken.some(([a, b]) => m!.index >= a && m!.index < b)) continue;
    let value = parseLogNumber(m[2]);
    if (value === undefined) continue;
    let end = PAIR.lastIndex;
    // Thousands separators in a counter (`iter:  20,100`): a short integer followed by 3-digit groups.
    if (/^\d{1,3}$/.test(m[2]) && m[3] === undefined && m[4] === undefined) {
      const groups = THOUSANDS.exec(text.slice(end));
      if (groups) {
        value = Number(m[2] + groups[0].replaceAll(",", ""));
        end += groups[0].length;
        PAIR.lastIndex = end;
      }
    }
    let parts: number | undefined;
    // A list's first number is matched; the rest of it is summed in (real + fake terms of one loss).
    if (m[0].includes("[")) {
      const rest = LIST_REST.exec(text.slice(end));
      if (rest) {
        const more = rest[1]
          .split(",")
          .slice(1)
          .map((v) => parseLogNumber(v) ?? Number.NaN);
        value = more.reduce((a, b) => a + b, value);
        parts = more.length + 1;
        end += rest[0].length;
        PAIR.lastIndex = end;
      }
    }
    let list: number[] | undefined;
    if (!m[0].includes("[") && m[3] === undefined && m[4] === undefined) {
      const rest = OPEN_LIST_REST.exec(text.slice(end));
      if (rest) {
        list = [
          value,
          ...rest[1]
            .split(",")
            .slice(1)
            .map((v) => parseLogNumber(v) ?? Number.NaN),
        ];
        end += rest[0].length;
        PAIR.lastIndex = end;
      }
    }
    const pair: Pair = { key: cleanKey(m[1]), value, percent: m[3] === "%" };
    if (parts !== undefined) pair.parts = parts;
    if (list !== undefined) pair.list = list;
    if (m[4] !== undefined) pair.total = Number(m[4]);
    pairs.push(pair);
    taken.push([m.index, end]);
  }
  taken.sort((a, b) => a[0] - b[0]);
  BARE.lastIndex = 0;
  let t = 0;
  for (let m = BARE.exec(text); m !== null; m = BARE.exec(text)) {
    while (t < taken.length && taken[t][1] <= m.index) t++;
    if (t < taken.length && taken[t][0] <= m.index) continue;
    const value = parseLogNumber(m[1]);
    if (value === undefined) continue;
    const b: BareNumber = { value, at: m.index };
    if (m[2] !== undefined) b.total = Number(m[2]);
    bare.push(b);
  }
  return { pairs, bare };
}
