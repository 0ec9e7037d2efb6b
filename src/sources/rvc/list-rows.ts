import { isStepText, parseLogNumber } from "../number-text.ts";

/**
 * The bracketed rows VITS-family trainers log with `logger.info([x.item() for x in losses] +
 * [global_step, lr])`, and RVC's `logger.info([global_step, lr])` before its loss line.
 *
 * How a row is recognised: the whole message is `[n, n, ...]` of numbers (`nan`/`inf` allowed) and the
 * second-to-last is a non-negative integer: that is the step, the last is the learning rate, and what
 * comes before are the losses. The losses are named by how many there are, from the trainers whose
 * `losses = [...]` line we have read:
 *
 * | losses | layout                                          | trainer                                   |
 * |--------|-------------------------------------------------|-------------------------------------------|
 * | 0      | `[global_step, lr]`                             | RVC-WebUI, Applio 2023 (the loss line follows) |
 * | 3      | `[mel, dur, kl, step, lr]`                      | Jiawch/vits-vae (generator-only VITS; fixture) |
 * | 5      | `[disc, gen, fm, mel, kl, step, lr]`            | so-vits-svc 3.x / 4.x                     |
 * | 6      | `[disc, gen, fm, mel, dur, kl, step, lr]`       | VITS (jaywalnut310/vits) and its TTS forks |
 * | other  | positional tags `losses[i]`                     | unknown forks: kept, not guessed          |
 *
 * so-vits-svc 4.x logs the losses and the counters on one line instead:
 * `Losses: [..5..], step: 400, lr: 9.99e-05, reference_loss: 41.2`, and the Paddle port translates the
 * labels: `损失：[..5..]，步数：0，学习率：0.0001`. Those are recognised by structure (a list, then
 * `label: number` pairs, the first pair the step and the second the lr, whatever the language); further
 * pairs (`reference_loss`) are kept under their own label.
 */

export interface RowValue {
  tag: string;
  sourceTag: string;
  value: number;
}

export interface ListRow {
  /** Number of losses before step and lr: the key to the layout table above. */
  lossCount: number;
  values: RowValue[];
  step: number;
  lr: number;
}

export type ListRowResult = { kind: "row"; row: ListRow } | { kind: "damaged"; reason: string } | undefined;

const LAYOUTS: Record<number, string[]> = {
  3: ["loss_mel", "loss_dur", "loss_kl"],
  5: ["loss_disc", "loss_gen", "loss_fm", "loss_mel", "loss_kl"],
  6: ["loss_disc", "loss_gen", "loss_fm", "loss_mel", "loss_dur", "loss_kl"],
};

const BARE_LIST = /^\[([^[\]]*)\]$/;
const LABELLED_LIST = /^([^\d[\]]*)\[([^[\]]*)\]\s*[,，;]\s*(.+)$/;
/** A row whose end was lost (a crash mid-write, a truncated paste). */
const UNCLOSED_LIST = /^\[([^[\]]*)$/;
const LABEL_PAIR = /^\s*([^:：=,，]+?)\s*[:：=]\s*(\S+?)\s*$/;

export function parseListRow(message: string): ListRowResult {
  // Every shape below holds a `[`: most lines of a log are ruled out before any pattern runs.
  if (!message.includes("[")) return undefined;
  const bare = BARE_LIST.exec(message);
  if (bare) return bareRow(bare[1]);
  const labelled = LABELLED_LIST.exec(message);
  if (labelled) return labelledRow(labelled[2], labelled[3]);
  const open = UNCLOSED_LIST.exec(message);
  if (
    open &&
    splitItems(open[1]).length >= 2 &&
    splitItems(open[1]).every((t) => parseLogNumber(t) !== undefined)
  ) {
    return { kind: "damaged", reason: `list row cut before its closing bracket: [${open[1].slice(0, 80)}` };
  }
  return undefined;
}

function bareRow(inner: string): ListRowResult {
  const items = splitItems(inner);
  if (items.length < 2) return undefined;
  const numbers = items.map(parseLogNumber);
  const bad = numbers.filter((n) => n === undefined).length;
  if (bad > 0) {
    // A list of words (`['a', 'b']`) is not ours; a mostly numeric one with holes is a damaged row.
    return items.length >= 3 && bad * 2 <= items.length
      ? { kind: "damaged", reason: `list row with ${bad} non-numeric item(s): [${inner.slice(0, 80)}]` }
      : undefined;
  }
  const stepText = items[items.length - 2];
  if (!isStepText(stepText)) return undefined;
  const losses = numbers.slice(0, -2) as number[];
  return {
    kind: "row",
    row: {
      lossCount: losses.length,
      values: nameLosses(losses),
      step: Number(stepText),
      lr: numbers.at(-1)!,
    },
  };
}

function labelledRow(inner: string, tail: string): ListRowResult {
  const items = splitItems(inner);
  const pairs = tail.split(/[,，]/).map((p) => LABEL_PAIR.exec(p));
  if (items.length === 0 || pairs.length < 2 || pairs.some((p) => p === null)) return undefined;
  const losses = items.map(parseLogNumber);
  const pairValues = pairs.map((p) => parseLogNumber(p![2]));
  if (!isStepText(pairs[0]![2])) return undefined;
  if (losses.includes(undefined) || pairValues.includes(undefined)) {
    return { kind: "damaged", reason: `loss list with a non-numeric value: ${inner.slice(0, 80)}` };
  }
  const values = nameLosses(losses as number[]);
  for (let i = 2; i < pairs.length; i++) {
    const label = pairs[i]![1];
    values.push({ tag: label, sourceTag: label, value: pairValues[i]! });
  }
  return {
    kind: "row",
    row: { lossCount: items.length, values, step: pairValues[0]!, lr: pairValues[1]! },
  };
}

/** The losses of a row named by their count (the layout table above). */
export function nameLosses(losses: number[]): RowValue[] {
  const names = LAYOUTS[losses.length];
  return losses.map((value, i) => ({
    tag: names ? names[i] : `losses[${i}]`,
    sourceTag: `losses[${i}]`,
    value,
  }));
}

function splitItems(inner: string): string[] {
  const trimmed = inner.trim();
  return trimmed === "" ? [] : trimmed.split(",").map((s) => s.trim());
}
