/**
 * Where a console line says it is: the step, epoch and batch it prints, by key (`Epoch 3/200`,
 * `iter: 400`, `Batch 120/938`) or by bare number (`[0/5][0/1583]`, `>12, 3/234`, Keras-GAN's leading
 * `33`, `0-3 [D loss ...`). What the step is then made of is step-clock.ts' business.
 */
import type { KeyMeaning } from "./aliases.ts";
import type { BareNumber, Pair } from "./line-pairs.ts";
import type { Position } from "./step-clock.ts";

/** A line that starts `0-3 [D loss: ...`: epoch and batch joined by a hyphen (emoji-gan, Keras-GAN forks). */
const LEADING_EPOCH_BATCH = /^\s*(\d+)-(\d+)\s/;

/** The step, epoch and batch a line prints, by key or by bare number. */
export function positionOf(
  pairs: Pair[],
  meanings: (KeyMeaning | undefined)[],
  bare: BareNumber[],
  text = "",
): Position {
  const p: Position = {};
  const joined = LEADING_EPOCH_BATCH.exec(text);
  if (joined) return { epoch: Number(joined[1]), batch: Number(joined[2]) };
  pairs.forEach((pair, i) => {
    const kind = meanings[i]?.role.kind;
    if (kind === "step") p.step ??= pair.value;
    else if (kind === "epoch") p.epoch ??= pair.value;
    else if (kind === "counter") p.counter ??= pair.value;
    else if (kind === "batch" && p.batch === undefined) {
      p.batch = pair.value;
      if (pair.total !== undefined) p.batchTotal = pair.total;
    }
  });
  // Bare numbers: `[0/5][0/1583]` is epoch then batch; `>12, 3/234` and Keras-GAN's leading `33` are the
  // epoch before a batch fraction, or the iteration when alone; `938/938` under an epoch line is a batch.
  const integers = bare.filter((b) => Number.isInteger(b.value) && b.value >= 0);
  const fractions = integers.filter((b) => b.total !== undefined);
  const leading = integers.find((b) => b.at <= 2 && b.total === undefined);
  if (p.epoch === undefined && fractions.length >= 2 && p.batch === undefined) {
    p.epoch = fractions[0].value;
    p.batch = fractions[1].value;
    p.batchTotal = fractions[1].total;
  } else if (p.batch === undefined && p.step === undefined && fractions.length >= 1) {
    if (p.epoch === undefined && leading && leading.at < fractions[0].at) p.epoch = leading.value;
    p.batch = fractions[0].value;
    p.batchTotal = fractions[0].total;
  } else if (p.step === undefined && p.epoch === undefined && p.batch === undefined && leading) {
    p.step = leading.value;
  }
  return p;
}

/**
 * A key's meaning for the value it holds: a step, batch or counter is a count, so a position key whose
 * value is not one (x-vits' `b=3.985`) is some quantity of that name, kept as its own series. An epoch
 * may be fractional (trainers print `epoch: 0.25` a quarter through the first).
 */
export function positionIfCount(m: KeyMeaning | undefined, value: number): KeyMeaning | undefined {
  const kind = m?.role.kind;
  if (kind === "step" || kind === "batch" || kind === "counter")
    return Number.isInteger(value) && value >= 0 ? m : undefined;
  return m;
}
