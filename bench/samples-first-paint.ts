/**
 * Whether a logdir made mostly of images shows its scalars as fast as the same scalars alone: two
 * logdirs with the same voice-model losses (RVC tags, one event a logged step), one of them also holding
 * two mel images of about `--image-kb` KiB per logged step, `--gb` of event files in all (written with
 * the project's encoder into `--dir`, runs/scratch by default, kept for the next run; not committed).
 * For each, `--runs` times: `nashboard watch` in a child process, then a fresh page in Debian's
 * chromium, and:
 *   - read: from spawning `watch` to its printed address (discovery and reading every file);
 *   - paint: from navigation to the performance mark "nashboard:first-paint" (the first chart drawn);
 *   - total: spawn to first paint, read + page start + paint;
 *   - sample requests the page made before its first paint (lazy media: 0), and from showing the samples
 *     view to its first image decoded;
 *   - the server's peak resident memory (VmHWM), index included.
 * `--main <checkout>/src/cli/main.ts` runs another checkout's code (the code before) on the same logdirs.
 *
 *   node --import tsx bench/samples-first-paint.ts [--gb 1] [--runs 3] [--dir runs/scratch/samples-bench] [--main PATH]
 */
import type { ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import { launchBrowser } from "../test/helpers/browser.ts";
import { png } from "../test/helpers/media.ts";
import { MAIN, startWatchProcess } from "./watched-run.ts";

const { values: args } = parseArgs({
  options: {
    gb: { type: "string", default: "1" },
    runs: { type: "string", default: "3" },
    "image-kb": { type: "string", default: "100" },
    dir: {
      type: "string",
      default: fileURLToPath(new URL("../runs/scratch/samples-bench/", import.meta.url)),
    },
    main: { type: "string", default: MAIN },
  },
});
const GB = Number(args.gb);
const RUNS = Number(args.runs);
const IMAGE_KB = Number(args["image-kb"]);
const DIR = args.dir;
const STEP_EVERY = 10;

/** Images of noise (which deflate cannot shrink) about IMAGE_KB KiB each, a few kept and reused. */
function noiseImages(n: number): Uint8Array[] {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  const height = 80;
  const width = Math.round((IMAGE_KB * 1024) / height);
  return Array.from({ length: n }, () => png(width, height, () => next(), { level: 1 }));
}

/** The scalars of one logged step, as RVC's event files hold them. */
function scalarsAt(step: number) {
  const t = step / 100000;
  return [
    { tag: "loss/d/total", value: 2.9 + 0.1 * Math.cos(step / 3100) },
    { tag: "loss/g/total", value: 30 - 8 * t + Math.sin(step / 700) },
    { tag: "loss/g/mel", value: 20 - 5 * t + 0.3 * Math.sin(step / 170) },
    { tag: "loss/g/kl", value: 1.5 - 0.5 * t },
    { tag: "loss/g/fm", value: 4 + 0.2 * Math.sin(step / 90) },
  ];
}

/** Writes both logdirs unless they are there: `with-media/run` and `scalars-only/run`. */
function ensureLogdirs(): { media: string; plain: string; steps: number; bytes: number } {
  const images = noiseImages(16);
  const perStep = 2 * images[0].length;
  const steps = Math.max(1, Math.round((GB * 1024 ** 3) / perStep));
  const media = join(DIR, `with-media-${GB}gb`);
  const plain = join(DIR, `scalars-only-${steps}`);
  const file = "events.out.tfevents.1700000000.bench.1.0";
  const write = (root: string, withImages: boolean) => {
    const path = join(root, "run", file);
    if (existsSync(path)) return;
    mkdirSync(join(root, "run"), { recursive: true });
    const fd = openSync(`${path}.part`, "w");
    writeSync(fd, frameRecord(encodeEvent({ wallTime: 1700000000, fileVersion: "brain.Event:2" })));
    for (let k = 0; k < steps; k++) {
      const step = k * STEP_EVERY;
      writeSync(
        fd,
        frameRecord(encodeEvent({ wallTime: 1700000000 + step, step, scalars: scalarsAt(step) })),
      );
      if (!withImages) continue;
      const samples = (["slice/mel_gen", "slice/mel_org"] as const).map((tag, i) => ({
        form: "image" as const,
        tag,
        png: images[(2 * k + i) % images.length],
        width: Math.round((IMAGE_KB * 1024) / 80),
        height: 80,
      }));
      writeSync(fd, frameRecord(encodeEvent({ wallTime: 1700000000 + step + 0.5, step, samples })));
    }
    closeSync(fd);
    // Renamed when whole: an interrupted write is not taken for a finished logdir next time.
    renameSync(`${path}.part`, path);
  };
  write(media, true);
  write(plain, false);
  return { media, plain, steps, bytes: statSync(join(media, "run", file)).size };
}

/** Peak resident memory of a process, in MB (Linux). */
function peakMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

interface Measure {
  readMs: number;
  paintMs: number;
  totalMs: number;
  sampleRequestsBeforePaint: number;
  firstImageMs?: number;
  peakMb: number;
}

async function measure(logdir: string, browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<Measure> {
  const spawned = performance.now();
  const { child, port } = await startWatchProcess(logdir, args.main);
  const readMs = performance.now() - spawned;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let sampleRequests = 0;
  let painted = false;
  page.on("request", (r) => {
    if (!painted && /\/sample\?/.test(r.url())) sampleRequests++;
  });
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => performance.getEntriesByName("nashboard:first-paint").length > 0, null, {
      timeout: 300000,
    });
    painted = true;
    const totalMs = performance.now() - spawned;
    const paintMs = await page.evaluate(
      () => performance.getEntriesByName("nashboard:first-paint")[0].startTime,
    );
    let firstImageMs: number | undefined;
    if (await page.$("#samples-box:not([hidden])").catch(() => null)) {
      firstImageMs = await page.evaluate(async () => {
        const started = performance.now();
        document.getElementById("samples-box")?.scrollIntoView();
        for (;;) {
          const img = document.querySelector("#samples img") as HTMLImageElement | null;
          if (img?.complete && img.naturalWidth > 0) return performance.now() - started;
          await new Promise((r) => setTimeout(r, 5));
        }
      });
    }
    return {
      readMs: Math.round(readMs),
      paintMs: Math.round(paintMs),
      totalMs: Math.round(totalMs),
      sampleRequestsBeforePaint: sampleRequests,
      ...(firstImageMs !== undefined ? { firstImageMs: Math.round(firstImageMs) } : {}),
      peakMb: peakMb(child.pid!),
    };
  } finally {
    await page.close();
    await stop(child);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGINT");
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const made = performance.now();
  const { media, plain, steps, bytes } = ensureLogdirs();
  const madeS = Math.round((performance.now() - made) / 100) / 10;
  const browser = await launchBrowser();
  const results: Record<string, Measure[]> = { "scalars only": [], "with media": [] };
  try {
    // Alternated, so that a load from other jobs falls on both alike.
    for (let r = 0; r < RUNS; r++) {
      results["scalars only"].push(await measure(plain, browser));
      results["with media"].push(await measure(media, browser));
    }
  } finally {
    await browser.close();
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, ms]) => [
      name,
      {
        readMs: median(ms.map((m) => m.readMs)),
        paintMs: median(ms.map((m) => m.paintMs)),
        totalMs: median(ms.map((m) => m.totalMs)),
        all: ms,
      },
    ]),
  );
  const out = { steps, mediaBytes: bytes, logdirsWrittenS: madeS, main: args.main, summary };
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

await main();
