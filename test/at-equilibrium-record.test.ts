import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCorpus, runTruth } from "../bench/cross-trainer/corpus.ts";
import { monitorReport } from "../bench/cross-trainer/score.ts";
import { AT_EQUILIBRIUM_RECORD } from "../src/monitor/verdict/at-equilibrium-record.ts";

/**
 * The figure the `atEquilibrium` note quotes is recounted from the committed runs it names: every run
 * of the cross-trainer corpus and both sealed sets replayed through today's monitor, keeping the runs
 * whose report carries the note, their truth from the samples. A rule change that moves a run in or
 * out of the note fails here until the record (and the sentence users read) is updated.
 */

const SETS = ["bench/cross-trainer/corpus", "bench/cross-trainer/sealed", "bench/cross-trainer/sealed2"];

test("the at-equilibrium note's record is what the committed runs give today", () => {
  let runs = 0;
  let unhealthy = 0;
  for (const dir of SETS) {
    for (const run of loadCorpus(dir)) {
      if (!monitorReport(run).notes.some((n) => n.key === "atEquilibrium")) continue;
      runs++;
      if (runTruth(run).label !== "healthy") unhealthy++;
    }
  }
  assert.ok(runs > 0, "no committed run ends at the equilibrium: the note would quote nothing");
  assert.deepEqual({ runs, unhealthy }, { ...AT_EQUILIBRIUM_RECORD });
});
