/**
 * `nashboard analyze PATH`: read the training logs under PATH (a file, a run directory, a directory of
 * runs) and show what was read. With --series: the runs, their series and every problem met. Without
 * it, for now, the same (the diagnosis report will take that place: it is one more view of the runs
 * read here, chosen in `views`).
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { NashboardError } from "../errors.ts";
import { type Lang, messages } from "../i18n/index.ts";
import { LOSS_FAMILIES } from "../losses/equilibrium.ts";
import { type HtmlReportRun, renderHtmlReport } from "../report/html.ts";
import type { LogFormat } from "../sources/detect.ts";
import { LOG_FORMATS } from "../sources/formats.ts";
import type { ReadNames } from "../sources/parser.ts";
import { type ReadResult, readRuns } from "../sources/run-source.ts";
import type { LossFamily } from "../types.ts";
import { diagnose, reportJson, reportText } from "./analyze-report.ts";
import { renderSummary, summarize } from "./analyze-summary.ts";
import { noLossesMessage, requireLosses } from "./loss-check.ts";
import { positiveInt } from "./options.ts";
import { createReadProgress } from "./read-progress.ts";
import { newBudget, reportSamples } from "./report-samples.ts";
import { withStdin } from "./stdin.ts";

interface AnalyzeFlags {
  series?: boolean;
  explain?: boolean;
  json?: boolean;
  html?: string;
  format?: LogFormat;
  loss?: LossFamily;
  discriminators?: number;
  dTag?: string;
  gTag?: string;
  stepTag?: string;
}

/** One way to present the runs read: its JSON value and its lines for a terminal. */
interface View {
  json(): unknown;
  text(): string[];
}

/** The views `analyze` offers: the diagnosis (default) and what was read (--series). */
const views: Record<
  "report" | "series",
  (path: string, read: ReadResult, flags: AnalyzeFlags, lang: Lang) => Promise<View>
> = {
  report: async (path, read, flags, lang) => {
    const runs = diagnose(read, {
      lang,
      ...(flags.loss ? { lossFamily: flags.loss } : {}),
      ...(flags.discriminators ? { discriminators: flags.discriminators } : {}),
    });
    const json = () => reportJson(path, runs, lang);
    if (flags.html) {
      const file = flags.html;
      // One budget for the page: its embedded samples stay within the limits it states.
      const budget = newBudget();
      const pages: HtmlReportRun[] = [];
      for (const { run, report } of runs) {
        const samples = await reportSamples(run, report, budget);
        pages.push({ id: run.id, format: run.format, report, ...(samples ? { samples } : {}) });
      }
      writeFileSync(file, renderHtmlReport(pages, lang));
      // The page is what was asked for: the terminal says where it is, not the report again.
      return { json, text: () => [messages(lang).htmlWritten(file, runs.length)] };
    }
    return { json, text: () => reportText(runs, lang, flags.explain === true) };
  },
  series: async (path, read, _flags, lang) => {
    const summary = summarize(path, read);
    return { json: () => summary, text: () => renderSummary(summary, messages(lang)) };
  },
};

export function registerAnalyze(program: Command, lang: Lang): void {
  const m = messages(lang);
  program
    .command("analyze")
    .description(m.cmdAnalyze)
    .argument("<path>", m.argAnalyzePath)
    .option("--series", m.optSeries)
    .option("--explain", m.optExplain)
    .option("--json", m.optAnalyzeJson)
    .addOption(new Option("--format <format>", m.optFormat).choices(LOG_FORMATS))
    .addOption(new Option("--loss <family>", m.optAnalyzeLoss).choices(LOSS_FAMILIES))
    .option("--discriminators <k>", m.optDiscriminators, positiveInt)
    .option("--html <file>", m.optHtml)
    .option("--d-tag <name>", m.optDTag)
    .option("--g-tag <name>", m.optGTag)
    .option("--step-tag <name>", m.optStepTag)
    .action(async (path: string, flags: AnalyzeFlags) => {
      const names = readNames(flags);
      const all = await withStdin(
        path,
        (file) => readWithProgress(file, flags.format, lang, names, path),
        lang,
      );
      // --series shows what was read, losses or not; the diagnosis needs D's or G's loss.
      const read = flags.series
        ? all
        : requireLosses(path, all, messages(lang), (line) => process.stderr.write(`${line}\n`));
      const view = await views[flags.series ? "series" : "report"](path, read, flags, lang);
      const out = flags.json ? `${JSON.stringify(view.json())}\n` : `${view.text().join("\n")}\n`;
      process.stdout.write(out);
    });
}

function readNames(flags: AnalyzeFlags): ReadNames {
  return {
    ...(flags.dTag !== undefined ? { d: flags.dTag } : {}),
    ...(flags.gTag !== undefined ? { g: flags.gTag } : {}),
    ...(flags.stepTag !== undefined ? { step: flags.stepTag } : {}),
  };
}

/** Reads the runs under `path`, with a progress line on a terminal; a path with no logs is an error. */
export async function readWithProgress(
  path: string,
  format: LogFormat | undefined,
  lang: Lang,
  names: ReadNames = {},
  /** The path as the user gave it (`-` for standard input, read from a file of its own). */
  shown = path,
): Promise<ReadResult> {
  const m = messages(lang);
  if (!existsSync(path)) throw new NashboardError("usage", m.errPathNotFound(shown));
  const progress = createReadProgress(m);
  let read: ReadResult;
  try {
    read = await readRuns(path, { ...(format ? { format } : {}), names, onProgress: progress.update });
  } finally {
    progress.done();
  }
  if (read.runs.length === 0) {
    if (read.discovery.kind === "directory") throw new NashboardError("usage", m.errNoRuns(shown));
    if (statSync(path).size === 0) throw new NashboardError("data", m.errEmptyFile(shown));
    const detection = read.discovery.skipped[0]?.detection;
    throw new NashboardError("data", noLossesMessage(shown, "?", detection, m));
  }
  return read;
}
