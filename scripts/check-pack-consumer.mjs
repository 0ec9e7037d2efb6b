// What scripts/check-pack.sh runs inside the folder where it installed the packed tarball (it copies
// this file there, so "nashboard" resolves to the install): the CLI and the library as a user's code
// meets them, on plain Node. Plain JavaScript, so nothing here needs tsx.
// NASHBOARD_REPO names the checkout, for a real log to read and to compare the native addon's status.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const repo = process.env.NASHBOARD_REPO;
assert.ok(repo, "NASHBOARD_REPO names the checkout");
const realLog = join(repo, "test/fixtures/real-logs/RVC-WebUI-issue2735.log");
const tiny = [
  "--g-hidden",
  "8",
  "--d-hidden",
  "8",
  "--latent",
  "4",
  "--batch",
  "16",
  "--eval-samples",
  "100",
];

function nashboard(args) {
  return spawnSync("npx", ["--no-install", "nashboard", ...args], { encoding: "utf8" });
}

console.log(`cli: npx nashboard analyze ${realLog}`);
const text = nashboard(["analyze", realLog]);
assert.equal(text.status, 0, text.stderr);
assert.match(text.stdout, /Verdict: HEALTHY/);
const json = nashboard(["analyze", realLog, "--json"]);
assert.equal(json.status, 0, json.stderr);
const [run] = JSON.parse(json.stdout).runs;
assert.deepEqual([run.format, run.lossFamily, run.verdict.health], ["rvc-log", "lsgan", "healthy"]);

console.log("cli: a missing file is one line and exit 2");
const missing = nashboard(["analyze", "no-such.log"]);
assert.equal(missing.status, 2, missing.stderr);
assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);

console.log('library: import { runTraining } from "nashboard"');
const { DEFAULT_CONFIG, initBackend, runTraining } = await import("nashboard");
const status = await initBackend();
// The install script builds the addon from the shipped sources wherever the checkout could build it.
const repoBuiltAddon = existsSync(join(repo, "native/build/Release/nashboard_native.node"));
assert.equal(status.mode, repoBuiltAddon ? "native" : "wasm", JSON.stringify(status));
const result = await runTraining(
  {
    ...DEFAULT_CONFIG,
    steps: 20,
    gHidden: [8],
    dHidden: [8],
    latent: 4,
    batch: 16,
    evalSamples: 100,
    logInterval: 5,
  },
  { dir: "library-run" },
);
assert.equal(result.steps, 20);
assert.equal(result.final.modes_total, 8);
assert.equal(readFileSync(join("library-run", "metrics.jsonl"), "utf8").trim().split("\n").length, 4);
console.log(`library: 20 steps on the ${status.mode} backend`);

console.log("cli: demo --compare (two trainers in child processes, from dist/)");
const compare = nashboard(["demo", "--compare", "--steps", "20", ...tiny, "--out", "compare"]);
assert.equal(compare.status, 0, compare.stderr);
assert.match(compare.stdout, /With the controller: the generator covers \d+ of the 8 modes/);

console.log("cli: train --serve (the dashboard's child process and its web/ and uPlot files)");
// The installed bin itself rather than npx, so that Ctrl-C (SIGINT) reaches it without a shell between.
const bin = join("node_modules", ".bin", "nashboard");
const serving = spawn(process.execPath, [bin, "train", "--serve", "--steps", "20", ...tiny], {
  stdio: ["ignore", "pipe", "pipe"],
});
// A guard against a hang, not a time limit: a dashboard that never answers fails the check.
const hang = setTimeout(() => serving.kill("SIGKILL"), 180_000);
const exited = new Promise((resolve) => serving.on("close", (code) => resolve(code)));
let printed = "";
let stderr = "";
serving.stderr.on("data", (d) => {
  stderr += d;
});
/** Resolves with the first match of `pattern` in what the trainer prints. */
const printedMatch = (pattern) =>
  new Promise((resolve, reject) => {
    const look = () => {
      const found = pattern.exec(printed);
      if (found) resolve(found);
    };
    serving.stdout.on("data", look);
    look();
    exited.then((code) => reject(new Error(`train --serve exited (${code}) before ${pattern}: ${stderr}`)));
  });
serving.stdout.on("data", (d) => {
  printed += d;
});
const [, url] = await printedMatch(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/);
for (const path of ["", "web/main.js", "web/dashboard.css", "assets/uPlot.esm.js"]) {
  const response = await fetch(`${url}${path}`);
  assert.equal(response.status, 200, `/${path}`);
  assert.ok((await response.text()).length > 100, `/${path} has a body`);
}
// --serve keeps serving after the run until Ctrl-C (a Ctrl-C during the run would stop the training)
await printedMatch(/Watching 1 run/);
serving.kill("SIGINT");
assert.equal(await exited, 0, stderr);
clearTimeout(hang);
console.log("cli and library: all checks passed");
