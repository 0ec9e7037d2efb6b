import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Steerer } from "../src/control/steerer.ts";
import type { Snapshot } from "../src/monitor/types.ts";

// The Python steering helper (examples/nashboard_steer.py) is part of the protocol: its own tests run
// here, and it applies a decision the TypeScript steerer wrote. Python is needed for both; without it
// they are skipped with the reason (.ci/run installs it).
const EXAMPLES = fileURLToPath(new URL("../examples/", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "nashboard-steer-py-"));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
const python = spawnSync("python3", ["--version"], { env });
const noPython = python.error || python.status !== 0 ? "python3 is not installed (.ci/run installs it)" : "";

test("the Python helper's own tests pass (examples/test_nashboard_steer.py)", (t) => {
  if (noPython) return t.skip(noPython);
  const r = spawnSync("python3", ["-m", "unittest", "-v", "test_nashboard_steer"], { cwd: EXAMPLES, env });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /Ran 5 tests/);
});

test("the Python helper applies what watch's steerer writes, once, from each optimiser's base rate", async (t) => {
  if (noPython) return t.skip(noPython);
  // A trainer that starts, then waits for a decision: one written before it started would be stale.
  const script = `
import json, sys, time
from nashboard_steer import Steer
class Opt:
    def __init__(self, lr): self.param_groups = [{"lr": lr}]
d, g = Opt(1e-2), Opt(1e-3)
steer = Steer(sys.argv[1], d, g, d_steps=3)
print("ready", flush=True)
end = time.time() + 20
while steer.seq == 0 and time.time() < end:
    time.sleep(0.01)
    k = steer.poll()
print(json.dumps({"seq": steer.seq, "d_steps": k, "r1": steer.r1, "lr_d": d.param_groups[0]["lr"], "lr_g": g.param_groups[0]["lr"]}))
`;
  const child = spawn("python3", ["-c", script, root], { cwd: EXAMPLES, env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  const closed = new Promise((resolve) => child.on("close", resolve));
  const end = Date.now() + 20_000;
  while (!out.includes("ready") && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const snapshot: Snapshot = {
    step: 40,
    state: "d_dominant",
    confidence: 0.9,
    evidence: [],
    signals: { d_gap: 0.9 },
    completedSteps: 2,
  };
  const written = new Steerer(root, { dSteps: 3 }).observe(snapshot);
  assert.ok(written);
  await closed;
  const applied = JSON.parse(out.trim().split("\n").at(-1)!);
  assert.deepEqual(applied, { seq: 1, d_steps: 2, r1: 0.1, lr_d: 5e-3, lr_g: 1e-3 }, err);
  assert.equal(err, "", "nothing ignored");
});
