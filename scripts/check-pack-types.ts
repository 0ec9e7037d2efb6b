// A consumer's TypeScript file, checked by scripts/check-pack.sh against the packed package's .d.ts:
// it compiles only when the declarations ship and describe the library (strict, NodeNext resolution).
import { DEFAULT_CONFIG, type RunResult, runTraining, type TrainConfig } from "nashboard";

const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 20 };
export const run: Promise<RunResult> = runTraining(config, { dir: "runs/typed" });
export const modes: Promise<number | undefined> = run.then((r) => r.final?.modes);
// @ts-expect-error steps is a number: without the declarations this line would be an unused expectation
export const wrong: TrainConfig = { ...DEFAULT_CONFIG, steps: "twenty" };
