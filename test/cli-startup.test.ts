import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * `nashboard analyze` and `watch` read logs; loading TensorFlow.js (~1 s) is for `train` alone. The
 * command modules share one graph, so a static import of the trainer anywhere in it would slow every
 * command down: this checks that loading the whole CLI leaves tfjs unloaded (tfjs-core registers its
 * engine on globalThis when it loads).
 */
test("loading the CLI does not load TensorFlow.js (analyze and watch start without it)", () => {
  const program = fileURLToPath(new URL("../src/cli/program.ts", import.meta.url));
  const probe = `await import(${JSON.stringify(program)}); console.log(globalThis._tfengine != null);`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "false");
  // and the probe can see tfjs when it is loaded
  const loaded = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", `await import("@tensorflow/tfjs-core"); ${probe}`],
    { encoding: "utf8" },
  );
  assert.equal(loaded.stdout.trim(), "true", loaded.stderr);
});
