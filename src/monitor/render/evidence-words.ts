/**
 * Evidence as people read it (the state band's hover text in the dashboard and the HTML report, the
 * text report's timeline): each signal named in words in the reader's language, its value, and the
 * threshold its rule compares it with. The identifiers (`loss_disc.rel`) stay in the JSON report and
 * in `analyze --explain`.
 */
import type { Lang } from "../../i18n/index.ts";
import { fmtNum } from "../../i18n/monitor-en.ts";
import { monitorMessages } from "../messages.ts";
import type { Evidence } from "../types.ts";

type Words = string | ((p: { tag: string }) => string);

const OPS: Record<NonNullable<Evidence["op"]>, string> = {
  "<": "<",
  "<=": "≤",
  ">": ">",
  ">=": "≥",
  "=": "=",
};

/**
 * A signal in words: a whole name ("d_gap"), a loss's signal ("loss_gen.trend_z": the words for
 * "trend_z" about loss_gen) or an event on a tag ("non_finite:loss_disc"). An unknown signal (a report
 * from a newer version) is shown as it is.
 */
export function signalWords(signal: string, lang: Lang): string {
  const table = monitorMessages(lang).picture.signal as Record<string, Words>;
  const get = (key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const whole = get(signal);
  if (typeof whole === "string") return whole;
  const event = /^([a-z_]+):(.+)$/.exec(signal);
  const about = event ? { key: event[1], tag: event[2] } : splitTag(signal);
  const words = about ? get(about.key) : undefined;
  return typeof words === "function" && about ? words({ tag: about.tag }) : signal;
}

/** "D's lead 0.35 ≥ 0.25": one evidence item in words. */
export function evidenceWords(x: Evidence, lang: Lang): string {
  const rule = x.op && x.threshold !== undefined ? ` ${OPS[x.op] ?? x.op} ${fmtNum(x.threshold)}` : "";
  return `${signalWords(x.signal, lang)} ${fmtNum(x.value)}${rule}`;
}

/** A state's evidence as one phrase: "D's lead 0.35 ≥ 0.25, loss_disc against its equilibrium -0.4". */
export function evidenceList(evidence: Evidence[], lang: Lang): string {
  return evidence.map((x) => evidenceWords(x, lang)).join(monitorMessages(lang).picture.listSeparator);
}

/** "loss_disc.rel.abs" -> loss_disc and "rel.abs"; a tag itself holds no dot in the monitor's names. */
function splitTag(signal: string): { key: string; tag: string } | undefined {
  const dot = signal.indexOf(".");
  return dot > 0 ? { tag: signal.slice(0, dot), key: signal.slice(dot + 1) } : undefined;
}
