/**
 * `nashboard demo` (and `npm start`): train the default GAN on ring8 with no flags, then say what
 * happened in plain words. The first thing a new user runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { type Lang, messages } from "../i18n/index.ts";
import { summarizeTraining } from "../report/training-summary.ts";
import { RUN_FILES } from "../train/run.ts";
import type { StepMetrics } from "../train/trainer.ts";
import { addTrainOptions, configFromFlags, defaultRunDir, trainWithProgress } from "./train-command.ts";

export function registerDemo(program: Command, lang: Lang): void {
  const m = messages(lang);
  addTrainOptions(program.command("demo").description(m.cmdDemo), lang).action(async (flags) => {
    const config = configFromFlags(flags);
    const dir = flags.out ?? defaultRunDir(config).replace(/runs[/\\]/, "runs/demo-");
    process.stdout.write(`${m.demoIntro}\n\n`);
    const result = await trainWithProgress(config, dir, lang);
    if (!result.final) return;
    const metrics = readFileSync(join(dir, RUN_FILES.metrics), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as StepMetrics);
    const lines = summarizeTraining({ loss: config.loss, final: result.final, metrics }, m);
    process.stdout.write(
      `\n${m.demoWhatHappened}\n${lines.map((l) => `  - ${l}`).join("\n")}\n\n${m.demoNext(dir)}\n`,
    );
  });
}
