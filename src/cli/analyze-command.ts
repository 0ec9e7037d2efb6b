/**
 * `nashboard analyze PATH`: read the training logs under PATH (a file, a run directory, a directory of
 * runs) and show what was read. With --series: the runs, their series and every problem met. Without
 * it, for now, the same (the diagnosis report will take that place: it is one more view of the runs
 * read here, chosen in `views`).
 */
import { existsSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { NashboardError } from "../errors.ts";
import { type Lang, messages } from "../i18n/index.ts";
import { LOSS_FAMILIES } from "../losses/equilibrium.ts";
import { renderHtmlReport } from "../report/html.ts";
import type { LogFormat } from "../sources/detect.ts";
import { LOG_FORMATS } from "../sources/read-file.ts";
import { type ReadResult, readRuns } from "../sources/run-source.ts";
import type { LossFamily } from "../types.ts";
import { diagnose, reportJson, reportText } from "./analyze-report.ts";
import { renderSummary, summarize } from "./analyze-summary.ts";
import { positiveInt } from "./options.ts";
import { createReadProgress } from "./read-progress.ts";

interface AnalyzeFlags {
  series?: boolean;
  json?: boolean;
  html?: string;
  format?: LogFormat;
  loss?: LossFamily;
  discriminators?: number;
}

/** One way to present the runs read: its JSON value and its lines for a terminal. */
interface View {
  json(): unknown;
  text(): string[];
}

/** The views `analyze` offers: the diagnosis (default) and what was read (--series). */
const views: Record<
  "report" | "series",
  (path: string, read: ReadResult, flags: AnalyzeFlags, lang: Lang) => View
> = {
  report: (path, read, flags, lang) => {
    const runs = diagnose(read, {
      lang,
      ...(flags.loss ? { lossFamily: flags.loss } : {}),
      ...(flags.discriminators ? { discriminators: flags.discriminators } : {}),
    });
    if (flags.html) {
      writeFileSync(
        flags.html,
        renderHtmlReport(
          runs.map(({ run, report }) => ({ id: run.id, format: run.format, report })),
          lang,
        ),
      );
    }
    return { json: () => reportJson(path, runs, lang), text: () => reportText(runs, lang) };
  },
  series: (path, read, _flags, lang) => {
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
    .option("--json", m.optAnalyzeJson)
    .addOption(new Option("--format <format>", m.optFormat).choices(LOG_FORMATS))
    .addOption(new Option("--loss <family>", m.optAnalyzeLoss).choices(LOSS_FAMILIES))
    .option("--discriminators <k>", m.optDiscriminators, positiveInt)
    .option("--html <file>", m.optHtml)
    .action(async (path: string, flags: AnalyzeFlags) => {
      const read = await readWithProgress(path, flags.format, lang);
      const view = views[flags.series ? "series" : "report"](path, read, flags, lang);
      const out = flags.json ? `${JSON.stringify(view.json())}\n` : `${view.text().join("\n")}\n`;
      process.stdout.write(out);
    });
}

/** Reads the runs under `path`, with a progress line on a terminal; a path with no logs is an error. */
export async function readWithProgress(
  path: string,
  format: LogFormat | undefined,
  lang: Lang,
): Promise<ReadResult> {
  const m = messages(lang);
  if (!existsSync(path)) throw new NashboardError("usage", m.errPathNotFound(path));
  const progress = createReadProgress(m);
  let read: ReadResult;
  try {
    read = await readRuns(path, { ...(format ? { format } : {}), onProgress: progress.update });
  } finally {
    progress.done();
  }
  if (read.runs.length === 0) {
    const message =
      read.discovery.kind === "file" ? m.errUnknownFormat(path, LOG_FORMATS.join(", ")) : m.errNoRuns(path);
    throw new NashboardError("usage", message);
  }
  return read;
}
