/**
 * A run's control.jsonl: the learning-rate controller's adjustments, one JSON object a line,
 *
 *   {"step": 1200, "kind": "lr_change", "from": 0.0002, "to": 0.0001, "reason": "D dominant for 300 steps"}
 *
 * optionally naming the player ("player": "d" | "g", or "param": "lr_d" | "lr_g" as src/control writes
 * it), and the monitor's reading it acted on: "state", "gap", "confidence", the balance policy's "rule"
 * and the "evidence" ({signal, value, threshold, op}). The controller's other knobs, D's updates per
 * step ("d_steps_change") and R1's weight ("r1_change"), are read too. The reason may be a sentence or
 * one of the controller's reason keys (the page words those). The file is followed as it grows: only whole lines are
 * read (a line still being written waits for its newline), and a file that shrinks is read again from
 * its start. A line that is not such an object is skipped and counted, never thrown.
 */
import { open, stat } from "node:fs/promises";
import type { ControlEvent } from "./provider.ts";

/** A line longer than this is not an adjustment: skipped, so a corrupt file cannot exhaust memory. */
const MAX_LINE = 4096;

export class ControlLog {
  private readonly list: ControlEvent[] = [];
  private offset = 0;
  /** Lines that were not a valid adjustment. */
  skipped = 0;

  constructor(readonly path: string) {}

  get events(): readonly ControlEvent[] {
    return this.list;
  }

  /**
   * Reads what was appended since the last look. Returns the new events, with `reset` when the file
   * shrank and the whole list was read again; undefined when nothing changed or the file is absent.
   */
  async refresh(): Promise<{ events: ControlEvent[]; reset: boolean } | undefined> {
    const size = (await stat(this.path).catch(() => undefined))?.size;
    if (size === undefined || size === this.offset) return undefined;
    const reset = size < this.offset;
    if (reset) {
      this.list.length = 0;
      this.offset = 0;
      this.skipped = 0;
    }
    const handle = await open(this.path, "r").catch(() => undefined);
    if (!handle) return undefined;
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
    const end = text.lastIndexOf("\n");
    if (end < 0) return reset ? { events: [], reset } : undefined;
    const whole = text.slice(0, end + 1);
    this.offset += Buffer.byteLength(whole);
    const events: ControlEvent[] = [];
    for (const line of whole.split("\n")) {
      if (line.trim() === "") continue;
      const e = parseControlLine(line);
      if (e) events.push(e);
      else this.skipped++;
    }
    this.list.push(...events);
    return { events, reset };
  }
}

/** One line as an adjustment, or undefined when it is not one. */
export function parseControlLine(line: string): ControlEvent | undefined {
  if (line.length > MAX_LINE) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== "object") return undefined;
  const { step, kind, from, to, reason, player, param, state, gap, confidence, rule, evidence, urgent } =
    o as Record<string, unknown>;
  if (!KINDS.has(kind as string) || typeof step !== "number" || !Number.isFinite(step)) return undefined;
  if (typeof from !== "number" || typeof to !== "number") return undefined;
  const event: ControlEvent = {
    step,
    kind: kind as ControlEvent["kind"],
    from,
    to,
    reason: typeof reason === "string" ? reason.slice(0, 500) : "",
  };
  if (player === "d" || player === "g") event.player = player;
  else if (param === "lr_d" || param === "lr_g") event.player = param === "lr_d" ? "d" : "g";
  if (typeof state === "string") event.state = state.slice(0, 40);
  if (typeof gap === "number") event.gap = gap;
  if (typeof confidence === "number") event.confidence = confidence;
  if (typeof rule === "number" && Number.isInteger(rule)) event.rule = rule;
  if (urgent === true) event.urgent = true;
  if (Array.isArray(evidence)) {
    const items = evidence.slice(0, MAX_EVIDENCE).flatMap((e) => readEvidence(e));
    if (items.length > 0) event.evidence = items;
  }
  return event;
}

const KINDS = new Set(["lr_change", "d_steps_change", "r1_change"]);
/** Evidence items kept per adjustment: the monitor gives a handful; a corrupt line cannot give more. */
const MAX_EVIDENCE = 12;

/** One evidence item ({signal, value, threshold?, op?}), or nothing when it is not one. */
function readEvidence(e: unknown): NonNullable<ControlEvent["evidence"]> {
  if (e === null || typeof e !== "object") return [];
  const { signal, value, threshold, op } = e as Record<string, unknown>;
  if (typeof signal !== "string" || typeof value !== "number") return [];
  return [
    {
      signal: signal.slice(0, 60),
      value,
      ...(typeof threshold === "number" ? { threshold } : {}),
      ...(typeof op === "string" ? { op: op.slice(0, 2) } : {}),
    },
  ];
}
