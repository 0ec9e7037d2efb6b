import { parseLogNumber } from "../number-text.ts";

/**
 * Applio's per-epoch console record (rvc/train/train.py, `print`; notes/rvc-logs.md §3):
 *
 *   `<model dir> | epoch=2 | step=80 | time=12:47:14 | training_speed=0:00:22`
 *   `... | lowest_value=27.87 (epoch 2 and step 69)` from epoch 2 on: the lowest per-step loss_gen_all
 *   so far (users misread the bracket as the current epoch, Applio#830), and from its overtraining
 *   detector (3.x, 2024) `| Number of epochs remaining for overtraining: 10`, or after the 2024-08 rework
 *   `| Number of epochs remaining for overtraining: g/total: 40 d/total: 90 | smoothed_loss_gen=… |
 *   smoothed_loss_disc=…`.
 *
 * The record is printed at the end of epoch `epoch` with the global step after it. Its numbers are
 * kept under Applio's own names: they are running minima and smoothed values, not per-step losses.
 */

export interface ApplioRecord {
  epoch: number;
  step: number;
  values: { tag: string; sourceTag: string; value: number }[];
  /** `lowest_value`'s own epoch and step: where the run's lowest generator loss was seen. */
  lowest?: { value: number; epoch: number; step: number };
}

const RECORD = /^(.*?)\s*\|\s*epoch=(\d+)\s*\|\s*step=(\d+)\s*(?:\|(.*))?$/;
const KEY_VALUE = /^\s*(\w+)=(\S+)(?:\s*\(epoch (\d+) and step (\d+)\))?\s*$/;
const REMAINING = /^\s*Number of epochs remaining for overtraining:\s*(.*)$/;
const REMAINING_SPLIT = /g\/total:\s*(\S+)\s+d\/total:\s*(\S+)/;
/** Fields that are clock readings, not measurements. */
const CLOCK_FIELDS = new Set(["time", "training_speed"]);

export function parseApplioRecord(message: string): ApplioRecord | undefined {
  // The record's `| epoch=` field, looked for before the pattern (slow on long lines) runs.
  if (!message.includes("epoch=")) return undefined;
  const m = RECORD.exec(message);
  if (!m) return undefined;
  const record: ApplioRecord = { epoch: Number(m[2]), step: Number(m[3]), values: [] };
  for (const field of (m[4] ?? "").split("|")) readField(field, record);
  return record;
}

function readField(field: string, record: ApplioRecord): void {
  const remaining = REMAINING.exec(field);
  if (remaining) {
    const split = REMAINING_SPLIT.exec(remaining[1]);
    const counts = split
      ? [
          ["overtraining_epochs_left_g", split[1]],
          ["overtraining_epochs_left_d", split[2]],
        ]
      : [["overtraining_epochs_left", remaining[1]]];
    for (const [tag, text] of counts) push(record, tag, text);
    return;
  }
  const kv = KEY_VALUE.exec(field);
  if (!kv || CLOCK_FIELDS.has(kv[1])) return;
  const value = push(record, kv[1], kv[2]);
  if (kv[1] === "lowest_value" && value !== undefined && kv[3] !== undefined) {
    record.lowest = { value, epoch: Number(kv[3]), step: Number(kv[4]) };
  }
}

function push(record: ApplioRecord, tag: string, text: string): number | undefined {
  const value = parseLogNumber(text);
  if (value !== undefined) record.values.push({ tag, sourceTag: tag, value });
  return value;
}
