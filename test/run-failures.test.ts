/**
 * A failure that is not the user's mistake still ends in one line naming the file and what to do, with
 * its exit code, and never in a stack trace or tfjs-wasm's minified source; what was written before it
 * survives. Real failures, with the CLI in a child process: a small tmpfs that fills (ENOSPC) or is
 * remounted read-only mid-run (EROFS), and a run directory deleted mid-run. Mounting needs root; without
 * it those two tests say why they skip.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { failureOf } from "../src/cli/failure.ts";
import { EXIT_CODES, NashboardError } from "../src/errors.ts";
import { BackendOutOfMemory, guardAllocations } from "../src/train/allocation-guard.ts";
import { loadCheckpoint } from "../src/train/checkpoint.ts";
import { RUN_FILES } from "../src/train/run-files.ts";
import { type CliResult, collect, trackedCli } from "./helpers/cli.ts";
import { TINY_FLAGS } from "./helpers/tiny-config.ts";

/** Trainers started for a million steps: a failed assertion must not leave one running. */
const trainers = trackedCli();
const startCli = trainers.start;
after(() => trainers.killAll());

const root = mkdtempSync(join(tmpdir(), "nashboard-fail-"));
const mounts: string[] = [];
after(() => {
  for (const m of mounts) umount(m);
  // the mount points are empty directories again
  rmSync(root, { recursive: true, force: true });
});

/** A tmpfs of `size` at a new directory, or the reason it cannot be mounted here. */
function mountTmpfs(name: string, size: string): string | { skip: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (e) {
    return { skip: `cannot mount a tmpfs here (needs root): ${String((e as Error).message).split("\n")[0]}` };
  }
  mounts.push(dir);
  return dir;
}

function umount(dir: string): void {
  try {
    execFileSync("umount", [dir], { stdio: "pipe" });
  } catch {
    // already gone
  }
}

/** The complete lines of a JSONL file, each parsed: a line cut by the failure is not data. */
function completeLines(path: string): { step: number }[] {
  const text = readFileSync(path, "utf8");
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function waitFor(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Exit 3, exactly one line on stderr after the progress, naming a file in `dir`; no trace, no source. */
function assertIoFailure(r: CliResult, dir: string, says: RegExp): string {
  assert.equal(r.code, EXIT_CODES.io, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(r.stderr, /WasmBackendModule|Emscripten|node_modules/, "no tfjs source");
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").at(-1), errors[0], "the error is the last line");
  assert.ok(errors[0].includes(dir), `names a file in the run directory: ${errors[0]}`);
  assert.match(errors[0], says);
  return errors[0];
}

test("a disk that fills mid-run: exit 3, one line naming the file; the checkpoint and the lines before survive", {
  timeout: 120_000,
}, async (t) => {
  const mount = mountTmpfs("small", "160k");
  if (typeof mount !== "string") return t.skip(mount.skip);
  const dir = join(mount, "run");
  const r = await collect(
    startCli([
      "train",
      ...TINY_FLAGS,
      "--steps",
      "1000000",
      "--log-interval",
      "1",
      "--checkpoint-interval",
      "200",
      "--out",
      dir,
    ]),
  );
  assertIoFailure(r, dir, /disk is full \(ENOSPC\); free some space, then continue the run with --resume/);
  const steps = completeLines(join(dir, RUN_FILES.metrics)).map((m) => m.step);
  assert.ok(steps.length > 200, `steps logged before the disk filled: ${steps.length}`);
  assert.deepEqual(
    steps,
    steps.map((_, i) => i + 1),
  );
  const checkpoint = loadCheckpoint(join(dir, RUN_FILES.checkpoint));
  assert.ok(checkpoint.trainer.step >= 200 && checkpoint.trainer.step <= steps.length);
  assert.ok(!existsSync(join(dir, RUN_FILES.lock)), "the lock is released on error");
});

test("a file system that became read-only since the run stopped: --resume exits 3 in one line; the run is untouched", {
  timeout: 120_000,
}, async (t) => {
  // Linux refuses to remount a file system read-only while a file on it is open for writing, so the
  // run stops first; the resume then fails on its first write (the lock).
  const mount = mountTmpfs("ro", "64m");
  if (typeof mount !== "string") return t.skip(mount.skip);
  const dir = join(mount, "run");
  const first = await collect(
    startCli(["train", ...TINY_FLAGS, "--steps", "100", "--log-interval", "10", "--out", dir]),
  );
  assert.equal(first.code, 0, first.stderr);
  const before = readFileSync(join(dir, RUN_FILES.metrics), "utf8");
  execFileSync("mount", ["-o", "remount,ro", mount]);
  const r = await collect(startCli(["train", "--resume", dir, "--steps", "200"]));
  assertIoFailure(r, dir, /read-only \(EROFS\); choose an --out on a writable disk/);
  assert.equal(readFileSync(join(dir, RUN_FILES.metrics), "utf8"), before);
  assert.equal(loadCheckpoint(join(dir, RUN_FILES.checkpoint)).trainer.step, 100);
});

test("a run directory deleted mid-run: exit 3, one line saying it no longer exists", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "vanishing");
  const child = startCli([
    "train",
    ...TINY_FLAGS,
    "--steps",
    "1000000",
    "--log-interval",
    "10",
    "--checkpoint-interval",
    "100",
    "--out",
    dir,
  ]);
  const done = collect(child);
  await waitFor(() => existsSync(join(dir, RUN_FILES.checkpoint)));
  rmSync(dir, { recursive: true, force: true });
  const r = await done;
  assertIoFailure(
    r,
    dir,
    /no longer exists \(ENOENT; moved or deleted during the run\); choose another --out/,
  );
});

test("a run too large for the backend's heap: exit 5, one line saying what to shrink, no trace", {
  timeout: 120_000,
}, async () => {
  // one layer's activations for the batch: 300,000 x 4,096 floats = 4.9 GB, beyond the 4 GiB wasm32 heap
  const dir = join(root, "too-large");
  const r = await collect(
    startCli([
      "train",
      "--g-hidden",
      "4096",
      "--d-hidden",
      "16",
      "--batch",
      "300000",
      "--steps",
      "2",
      "--out",
      dir,
    ]),
  );
  assert.equal(r.code, EXIT_CODES.memory, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.doesNotMatch(r.stderr, /WasmBackendModule|node_modules/);
  assert.match(
    r.stderr.trimEnd().split("\n").at(-1) ?? "",
    /^error: the tfjs-wasm backend ran out of memory \(.*\d+ bytes\); use a smaller --batch, --g-hidden or --d-hidden$/,
  );
  assert.ok(!existsSync(join(dir, RUN_FILES.lock)), "the lock is released");
});

test("the CLI's edge: system errors become io (3) naming their file, in both languages; the heap's failures memory (5); bugs stay bugs", () => {
  const errno = (code: string, path?: string) =>
    Object.assign(new Error(`${code}: failed, write`), { code, syscall: "write", ...(path ? { path } : {}) });
  const cases: [string, RegExp][] = [
    ["ENOSPC", /disk is full/],
    ["EACCES", /permission denied \(EACCES\)/],
    ["EPERM", /permission denied \(EPERM\)/],
    ["EROFS", /read-only/],
    ["ENOENT", /no longer exists/],
    ["EIO", /cannot use runs\/a\/metrics\.jsonl \(EIO\)/],
  ];
  for (const [code, says] of cases) {
    const f = failureOf(errno(code, "runs/a/metrics.jsonl"));
    assert.ok(f instanceof NashboardError);
    assert.equal(f.code, "io");
    assert.match(f.text("en"), says);
    assert.match(f.text("en"), /runs\/a\/metrics\.jsonl/);
    assert.match(f.text("zh"), /runs\/a\/metrics\.jsonl/);
    assert.notEqual(f.text("zh"), f.text("en"));
  }
  assert.equal(failureOf(new BackendOutOfMemory(1e10))?.code, "memory");
  assert.equal(
    failureOf(new WebAssembly.RuntimeError("Aborted(). Build with -sASSERTIONS for more info."))?.code,
    "memory",
  );
  assert.equal(EXIT_CODES.memory, 5);
  assert.equal(failureOf(new TypeError("x is undefined")), undefined, "a bug keeps its trace");
});

test("a tfjs-wasm allocation that fails or cannot fit the 32-bit heap throws instead of returning offset 0", () => {
  const calls: number[] = [];
  const wasm: { _malloc(bytes: number): number } = {
    _malloc(bytes: number) {
      calls.push(bytes);
      return bytes > 1000 ? 0 : 64;
    },
  };
  guardAllocations(wasm);
  guardAllocations(wasm); // idempotent: one wrapper
  assert.equal(wasm._malloc(10), 64);
  assert.throws(() => wasm._malloc(5000), BackendOutOfMemory);
  assert.throws(() => wasm._malloc(2 ** 33), BackendOutOfMemory);
  assert.deepEqual(calls, [10, 5000], "an impossible size never reaches malloc (it would wrap around)");
  // Emscripten's stub replaces Module._malloc with the raw export on its first call: still guarded
  const raw = (_bytes: number) => 0;
  wasm._malloc = raw;
  assert.throws(() => wasm._malloc(10), BackendOutOfMemory);
});
