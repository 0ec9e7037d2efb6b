/**
 * One training job in a process of its own, for the pool (train-pool.ts): the job as JSON and the run
 * directory as arguments; prints the run's ScenarioMeta as one JSON line when it is done.
 *
 *   node --import tsx bench/scenarios/train-worker.ts '{"scenario":"healthy","dataset":"ring8",...}' DIR
 */
import { type TrainJob, trainScenario } from "./train-scenario.ts";

const [jobText, dir] = process.argv.slice(2);
if (!jobText || !dir) {
  console.error("usage: train-worker.ts JOB_JSON RUN_DIR");
  process.exit(2);
}
const meta = await trainScenario(JSON.parse(jobText) as TrainJob, dir);
console.log(JSON.stringify(meta));
