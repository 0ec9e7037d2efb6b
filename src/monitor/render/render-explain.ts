/**
 * `analyze --explain`: for every entry of the timeline, the rule that decided it (types.ts RULE_IDS,
 * what it checks in one line) and every number it compared, with the threshold and the comparison
 * where the rule used one; then how the verdict weighed the timeline. Jargon lives here and in the
 * JSON, not in the report's headline.
 */
import type { Lang } from "../../i18n/index.ts";
import { monitorMessages, renderMessage } from "../messages.ts";
import { MONITOR_THRESHOLDS } from "../thresholds.ts";
import type { MonitorReport } from "../types.ts";

export function renderExplainText(report: MonitorReport, lang: Lang): string {
  const m = monitorMessages(lang);
  const x = m.explain;
  const t = MONITOR_THRESHOLDS;
  const lines: string[] = [x.title, ""];
  for (const e of report.timeline) {
    lines.push(
      x.entry({
        from: e.fromStep,
        to: e.toStep,
        state: e.state,
        rule: e.rule,
        ruleText: m.rule[e.rule] ?? e.rule,
      }),
    );
    for (const ev of e.evidence) {
      const held = ev.op !== undefined && ev.threshold !== undefined;
      lines.push(
        `    ${held ? x.evidenceHeld({ signal: ev.signal, value: ev.value, op: ev.op, threshold: ev.threshold }) : x.evidenceShown({ signal: ev.signal, value: ev.value })}`,
      );
    }
  }
  const v = report.verdict;
  lines.push(
    "",
    x.verdict({ health: m.health[v.health], summary: renderMessage("summary", v.summary, lang) }),
    `  ${x.verdictRule({
      minSteps: t.verdictMinSteps,
      final: t.verdictShareFinal,
      severe: t.verdictShareSevere,
      warn: t.verdictShareWarn,
    })}`,
  );
  for (const a of v.advice)
    for (const ev of a.evidence)
      if (ev.op !== undefined && ev.threshold !== undefined)
        lines.push(
          `    ${x.evidenceHeld({ signal: ev.signal, value: ev.value, op: ev.op, threshold: ev.threshold })}`,
        );
  lines.push("", x.thresholds({ count: Object.keys(MONITOR_THRESHOLDS).length }));
  return `${lines.join("\n")}\n`;
}
