import { parseLogNumber } from "../number-text.ts";

/**
 * RVC's loss line, `loss_disc=4.107, loss_gen=4.434, loss_fm=10.796,loss_mel=26.703, loss_kl=9.000`
 * (train.py's f-string has no space before `loss_mel`; a fork adds one), Applio 2023's bracketed
 * `[loss_disc=3.1] | [loss_gen=2.9] | ...` and its per-epoch `loss_gen_all=…, loss_disc=…, …`.
 * Any `loss…=value` pair counts, whatever separates the pairs; the values may be `nan`, `inf`, `-inf`.
 */

export interface LossPair {
  tag: string;
  sourceTag: string;
  value: number;
  /** RVC clamps loss_mel at 75 and loss_kl at 9 before logging them: the true value is at least this. */
  lowerBound: boolean;
}

export interface LossLine {
  pairs: LossPair[];
  /** `key=text` pairs whose text is no number: the marks of a damaged line. */
  damaged: { key: string; text: string }[];
}

/** Source keys with a canonical name other than their own (the rest are canonical as written). */
const RENAMES: Record<string, string> = { loss_gen_all: "loss_gen_total" };
/** `if loss_mel > 75: loss_mel = 75` and `if loss_kl > 9: loss_kl = 9` in RVC's train.py. */
const CLAMPS: Record<string, number> = { loss_mel: 75, loss_kl: 9 };

const PAIR = /\b(loss\w*)\s*=\s*([^\s,;|\]]*)/g;

export function parseLossLine(message: string): LossLine | undefined {
  // Most lines of a log are no loss lines: a substring test rules them out before the pattern runs.
  if (!message.includes("loss")) return undefined;
  let line: LossLine | undefined;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(message); m !== null; m = PAIR.exec(message)) {
    line ??= { pairs: [], damaged: [] };
    const key = m[1];
    const text = m[2];
    const value = parseLogNumber(text);
    if (value === undefined) {
      line.damaged.push({ key, text });
      continue;
    }
    line.pairs.push({ tag: lossTag(key), sourceTag: key, value, lowerBound: value === lossClamp(key) });
  }
  return line;
}

/** The canonical tag of a loss key. */
export function lossTag(key: string): string {
  return Object.hasOwn(RENAMES, key) ? RENAMES[key] : key;
}

/** The value RVC clamps a loss key's value to (a logged value equal to it is a lower bound), if any. */
export function lossClamp(key: string): number | undefined {
  return Object.hasOwn(CLAMPS, key) ? CLAMPS[key] : undefined;
}
