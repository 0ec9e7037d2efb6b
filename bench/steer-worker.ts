/**
 * One run of `nashboard train` with the controller's settings changed, for tuning it (bench/steer.ts
 * --controller-config): the train command's own flags and defaults, then runTraining with
 * `options.controller`, writing the same run directory the CLI writes.
 *
 *   node --import tsx bench/steer-worker.ts '{"settle": 1}' --dataset ring8 --controller --out DIR ...
 */
import { Command } from "commander";
import { addTrainOptions, configFromFlags, type TrainFlags } from "../src/cli/train-command.ts";
import type { ControllerConfig } from "../src/control/controller.ts";
import { initBackend } from "../src/train/backend.ts";
import { runTraining } from "../src/train/run.ts";

const [overrides, ...flags] = process.argv.slice(2);
const cmd = addTrainOptions(new Command(), "en").option("--json");
cmd.parse(flags, { from: "user" });
const f = cmd.opts<TrainFlags & { out: string }>();
await initBackend();
await runTraining(configFromFlags(f), {
  dir: f.out,
  controller: JSON.parse(overrides!) as Partial<ControllerConfig>,
});
