/**
 * The alerts of a run, bounded: the first `maxPerKind` of each kind are kept with their rendered
 * message, the rest are counted (a run that spikes every step must not grow the report without end).
 * Some alerts are raised once per tag only (the first NaN, the first clamp, the first high gradient
 * norm): the first occurrence is the fact worth knowing; the counts go into the report.
 */
import type { Lang } from "../../i18n/index.ts";
import { renderMessage } from "../messages.ts";
import type { Alert, AlertKind, MessageRef } from "../types.ts";

export class AlertLog {
  private readonly kept: Alert[] = [];
  private readonly perKind = new Map<AlertKind, number>();
  private readonly omitted = new Map<AlertKind, number>();
  private readonly once = new Set<string>();

  constructor(
    private readonly lang: Lang,
    private readonly maxPerKind: number,
  ) {}

  /**
   * Raises an alert; returns it when kept (to emit as an event), undefined when it was counted only
   * or when `onceKey` was already raised.
   */
  raise(
    step: number,
    kind: AlertKind,
    severity: Alert["severity"],
    key: string,
    params: MessageRef["params"],
    onceKey?: string,
  ): Alert | undefined {
    if (onceKey !== undefined) {
      if (this.once.has(onceKey)) return undefined;
      this.once.add(onceKey);
    }
    const n = this.perKind.get(kind) ?? 0;
    if (n >= this.maxPerKind) {
      this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
      return undefined;
    }
    this.perKind.set(kind, n + 1);
    const alert: Alert = {
      step,
      kind,
      severity,
      message: renderMessage("alert", { key, params }, this.lang),
      key,
      params,
    };
    this.kept.push(alert);
    return alert;
  }

  /** Forget the once-keys of a segment (a resumed run may hit the same NaN again: say so again). */
  forgetOnce(prefix: string): void {
    for (const k of [...this.once]) if (k.startsWith(prefix)) this.once.delete(k);
  }

  alerts(): Alert[] {
    return this.kept.map((a) => ({ ...a, params: { ...a.params } }));
  }

  omittedCounts(): Partial<Record<AlertKind, number>> {
    return Object.fromEntries(this.omitted) as Partial<Record<AlertKind, number>>;
  }
}
