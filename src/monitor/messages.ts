/**
 * The monitor's sentences by language, and the one way a MessageRef becomes text. Every sink (the
 * text report, the CLI's JSON, the HTML page) renders through here, so a key means the same sentence
 * everywhere.
 */
import type { Lang } from "../i18n/index.ts";
import { type MonitorMessages, monitorEn } from "../i18n/monitor-en.ts";
import { monitorZh } from "../i18n/monitor-zh.ts";
import type { CandidateEpoch, MessageRef } from "./types.ts";

const catalogues: Record<Lang, MonitorMessages> = { en: monitorEn, zh: monitorZh };

export function monitorMessages(lang: Lang): MonitorMessages {
  return catalogues[lang] ?? monitorEn;
}

/** The groups whose entries are sentences taking a parameter object. */
export type MessageGroup = "summary" | "advice" | "alert" | "note" | "reason";

type Render = (p: MessageRef["params"]) => string;

/** Renders a key of a group; an unknown key (a report from a newer version) shows as the key itself. */
export function renderMessage(group: MessageGroup, ref: MessageRef, lang: Lang): string {
  const table = monitorMessages(lang)[group] as unknown as Record<string, Render>;
  const f = Object.hasOwn(table, ref.key) ? table[ref.key] : undefined;
  return f ? f(ref.params) : `${group}.${ref.key} ${JSON.stringify(ref.params)}`;
}

/** A candidate checkpoint as one line, the same in the text report, the HTML report and the dashboard. */
export function renderCandidate(c: CandidateEpoch, lang: Lang): string {
  const m = monitorMessages(lang);
  const reasons = c.reasons.map((r) => renderMessage("reason", r, lang)).join(m.picture.valueSeparator);
  return m.text.candidateEntry({
    epoch: c.epoch,
    step: c.step,
    file: c.checkpoint?.file,
    reasons,
  });
}
