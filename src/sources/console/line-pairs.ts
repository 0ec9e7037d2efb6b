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
import { NUMBER_PATTERN, parseLogNumber, scanDecimal, scanned } from "../number-text.ts";

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
/** How a scalar may be wrapped; a one-element tensor or array prints its value in brackets (`tensor([0.41])`). */
const WRAP = String.raw`(?:<tf\.Tensor:[^>]*?numpy=|(?:tf\.Tensor|tensor|array|np\.float\d*|float\d*)\(\s*(?:\[\s*)?|\[\s*)?`;
const N = NUMBER_PATTERN;
/** What may not follow a number: more of a word or of a number (`1.2.3`); `0.39...` and `0.39.` may. */
const END = String.raw`(?![A-Za-z0-9_]|\.\d)`;
/**
 * Between a key and its value: `:`, `=` or spaces; or nothing when the value is alone in brackets right
 * after a key that ends in a letter or digit (TUNIT's `D[0.00] G[0.00]`; not `tensor([0.41])`), and not
 * an index (`losses[3]: 0.5`) nor a bracket that holds more (tqdm's `[00:15<10`).
 */
const SEPARATOR = String.raw`(?:\s*[:=]\s*|[ \t]+|(?<=[A-Za-z0-9_])(?=\[\s*(?:${N})\s*\](?!\s*[:=])))`;
/**
 * key, separator, wrapped value, `%`, `/total`. The key starts at a word boundary (so `44ms` is no key
 * `ms`) and is one to four words; quotes around it are Python's dict print.
 */
const PAIR = new RegExp(
  String.raw`(?<![A-Za-z0-9_.])['"]?(${WORD}(?:[ \t]${WORD}){0,3}?)['"]?${SEPARATOR}${WRAP}(${N})${END}(%)?(?:\s*\/\s*(\d+)(?!\d|\.\d))?`,
  "gid",
);
const BARE = new RegExp(String.raw`(?<![A-Za-z0-9_.])(${N})${END}(?!%)(?:\s*\/\s*(\d+)(?!\d|\.\d))?`, "gid");
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

/**
 * A key as printed, its slash-path whole (`train/d_loss`, tensorpack's `GAN_loss/discrim/loss`): which
 * part of a path names the quantity is the alias table's question (aliases.ts), not this one's.
 */
function cleanKey(raw: string): string {
  const k = raw.trim().replace(/:+$/, "");
  return k.endsWith("/") ? k.slice(0, -1) : k;
}

/*
 * A number token is a number as the pair and bare patterns see one, with the same boundaries
 * (`(?<![A-Za-z0-9_.])N(?![A-Za-z0-9_]|\.\d)`), so every value they read is one of them; a line's
 * skeleton is its text with each token replaced by a mark of its kind (scanTokens).
 */

/** Where a line's pairs and bare numbers came from, by token index: the same for every line of a skeleton. */
interface Recipe {
  pairs: { key: string; token: number; total?: number; percent: boolean }[];
  bare: { token: number; total?: number }[];
}

/** Skeleton -> recipe (null: a line of this shape is read in full every time). Bounded: logs repeat a few shapes. */
const recipes = new Map<string, Recipe | null>();
const MAX_RECIPES = 512;

/**
 * The pairs of a line. Training logs print one template per line with different numbers, so a line is
 * cut into number tokens; a template seen before is filled from its recipe without the patterns, and
 * a new one is read in full and its recipe kept. The reading may depend on numbers only through the
 * thousands rule (a 1-3 digit integer before `,ddd` groups), so an integer of 1-3 digits is marked by
 * its length in the skeleton; lines whose reading does not map token for token (thousands, lists,
 * names-then-values) are never cached.
 */
export function linePairs(text: string): LinePairs {
  const starts: number[] = [];
  const ends: number[] = [];
  const skeleton = scanTokens(text, starts, ends);
  const recipe = recipes.get(skeleton);
  if (recipe) return fromRecipe(recipe, text, starts, ends);
  const read = readPairs(text);
  if (recipe === undefined && recipes.size < MAX_RECIPES) recipes.set(skeleton, toRecipe(read, starts));
  return { pairs: read.pairs, bare: read.bare };
}

/** A character that may not stand right before a number token, nor (but `.`) right after one. */
function wordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The number tokens of a line, as TOKEN would find them (its boundaries, its backtracking to a number
 * without a trailing point), without the pattern: their starts and ends, and the line's skeleton.
 */
function scanTokens(text: string, starts: number[], ends: number[]): string {
  let skeleton = "";
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const maybe =
      (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || (c | 32) === 110 || (c | 32) === 105;
    if (!maybe) continue;
    const before = i > 0 ? text.charCodeAt(i - 1) : -1;
    if (wordChar(before) || before === 46) continue;
    let end = scanDecimal(text, i, n);
    if (end < 0) end = nonFiniteEnd(text, i);
    if (end < 0) continue;
    if (!endsToken(text, end)) {
      // TOKEN backs off a trailing point (`5.x` is the number `5`); no other shorter match can end well.
      if (text.charCodeAt(end - 1) === 46 && end - 1 > i && endsToken(text, end - 1)) end--;
      else continue;
    }
    let short = end - i <= 3;
    for (let k = i; short && k < end; k++) short = text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57;
    skeleton += `${text.slice(from, i)}\u0000${short ? end - i : "n"}`;
    starts.push(i);
    ends.push(end);
    from = end;
    i = end - 1;
  }
  return skeleton + text.slice(from);
}

/** TOKEN's end condition: no word character after, and no point followed by a digit. */
function endsToken(text: string, end: number): boolean {
  const c = end < text.length ? text.charCodeAt(end) : -1;
  if (wordChar(c)) return false;
  return !(
    c === 46 &&
    end + 1 < text.length &&
    text.charCodeAt(end + 1) >= 48 &&
    text.charCodeAt(end + 1) <= 57
  );
}

/** `nan`, `inf`, `infinity` (any case, a sign allowed) starting at `i`: the index after it, or -1. */
function nonFiniteEnd(text: string, i: number): number {
  let j = i;
  const c = text.charCodeAt(j);
  if (c === 43 || c === 45) j++;
  const word = text.slice(j, j + 8).toLowerCase();
  if (word.startsWith("infinity")) return j + 8;
  if (word.startsWith("nan") || word.startsWith("inf")) return j + 3;
  return -1;
}

/** The pairs by the patterns alone, without recipes (what a recipe must reproduce: the tests compare). */
export function linePairsUncached(text: string): LinePairs {
  const { pairs, bare } = readPairs(text);
  return { pairs, bare };
}

// Plain loops, no closures: a closure made per line costs more than the line's numbers (and tsx names each).
function fromRecipe(r: Recipe, text: string, starts: number[], ends: number[]): LinePairs {
  const pairs: Pair[] = [];
  for (const p of r.pairs) {
    const pair: Pair = { key: p.key, value: tokenValue(text, starts, ends, p.token), percent: p.percent };
    if (p.total !== undefined) pair.total = tokenValue(text, starts, ends, p.total);
    pairs.push(pair);
  }
  const bare: BareNumber[] = [];
  for (const b of r.bare) {
    const out: BareNumber = { value: tokenValue(text, starts, ends, b.token), at: starts[b.token] };
    if (b.total !== undefined) out.total = tokenValue(text, starts, ends, b.total);
    bare.push(out);
  }
  return { pairs, bare };
}

function tokenValue(text: string, starts: number[], ends: number[], i: number): number {
  if (scanDecimal(text, starts[i], ends[i]) === ends[i]) return scanned.value;
  return parseLogNumber(text.slice(starts[i], ends[i])) as number;
}

/** The recipe of a line read in full, or null when its values are not single tokens. */
function toRecipe(read: ReadPairs, starts: number[]): Recipe | null {
  const token = (at: number | undefined) => (at === undefined ? -1 : starts.indexOf(at));
  const pairs: Recipe["pairs"] = [];
  for (let i = 0; i < read.pairs.length; i++) {
    const p = read.pairs[i];
    const at = read.pairAt[i];
    if (p.list !== undefined || p.parts !== undefined || at === undefined) return null;
    const t = token(at.value);
    const total = at.total === undefined ? undefined : token(at.total);
    if (t < 0 || total === -1) return null;
    pairs.push({ key: p.key, token: t, percent: p.percent, ...(total !== undefined ? { total } : {}) });
  }
  const bare: Recipe["bare"] = [];
  for (let i = 0; i < read.bare.length; i++) {
    const t = token(read.bare[i].at);
    const total = read.bareTotalAt[i] === undefined ? undefined : token(read.bareTotalAt[i]);
    if (t < 0 || total === -1) return null;
    bare.push({ token: t, ...(total !== undefined ? { total } : {}) });
  }
  return { pairs, bare };
}

interface ReadPairs extends LinePairs {
  /** Where each pair's value and total start (undefined for a pair that is no single token). */
  pairAt: ({ value: number; total?: number } | undefined)[];
  bareTotalAt: (number | undefined)[];
}

/** The pairs of a line by the patterns, with where their numbers start. */
function readPairs(text: string): ReadPairs {
  const pairAt: ReadPairs["pairAt"] = [];
  const bareTotalAt: (number | undefined)[] = [];
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
        pairAt.push(undefined);
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
    const indices = (m as RegExpExecArray & { indices: [number, number][] }).indices;
    let at: { value: number; total?: number } | undefined = { value: indices[2][0] };
    if (m[4] !== undefined) at.total = indices[4][0];
    // Thousands separators in a counter (`iter:  20,100`): a short integer followed by 3-digit groups.
    if (/^\d{1,3}$/.test(m[2]) && m[3] === undefined && m[4] === undefined) {
      const groups = THOUSANDS.exec(text.slice(end));
      if (groups) {
        at = undefined;
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
    pairAt.push(at);
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
    bareTotalAt.push(
      m[2] === undefined ? undefined : (m as RegExpExecArray & { indices: [number, number][] }).indices[2][0],
    );
  }
  return { pairs, bare, pairAt, bareTotalAt };
}
