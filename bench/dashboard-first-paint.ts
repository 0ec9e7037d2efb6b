/**
 * How fast the page is on a run of a million points (two tags of a million steps each, a CSV followed by
 * `nashboard watch`), in Debian's chromium. Each of `--runs` fresh pages reports:
 *   - first paint: the performance mark "nashboard:first-paint" (the first chart has drawn its data),
 *     in ms from navigation;
 *   - smoothing change: moving the slider (re-smoothing and re-decimating both series) to the second
 *     frame after, in ms;
 *   - append to shown: a line appended to the CSV until the page shows its step, in ms.
 * These were limits in the tests (1 s, 400 ms, 1 s) until a loaded machine failed the first (2,157 ms)
 * with nothing wrong; the tests (dashboard-perf, dashboard) keep what the page shows, this script says
 * how fast.
 *
 *   node --import tsx bench/dashboard-first-paint.ts [--runs 5] [--points 1000000] [--json]
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeBigCsv } from "../test/helpers/big-csv.ts";
import { launchBrowser, startWatch } from "../test/helpers/browser.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = flag("runs", 5);
const POINTS = flag("points", 1_000_000);
const JSON_OUT = args.includes("--json");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-first-paint-"));
  const csv = join(dir, "long-run.csv");
  await writeBigCsv(csv, POINTS);
  const [watch, browser] = await Promise.all([startWatch(csv), launchBrowser()]);
  const paint: number[] = [];
  const smoothing: number[] = [];
  const shown: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(watch.url);
      await page.waitForFunction(
        () => performance.getEntriesByName("nashboard:first-paint").length > 0,
        null,
        {
          timeout: 120000,
        },
      );
      paint.push(
        await page.evaluate(() => performance.getEntriesByName("nashboard:first-paint")[0].startTime),
      );
      smoothing.push(
        await page.evaluate(
          async (weight) => {
            const slider = document.getElementById("smoothing") as HTMLInputElement;
            const t = performance.now();
            slider.value = String(weight);
            slider.dispatchEvent(new Event("input"));
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.now() - t;
          },
          run % 2 === 0 ? 0.95 : 0.6,
        ),
      );
      const step = POINTS + run + 1;
      const started = performance.now();
      appendFileSync(csv, `${step},1.2345,0.75\n`);
      await page.waitForFunction((s) => document.getElementById("latest")?.dataset.step === String(s), step, {
        timeout: 60000,
        polling: 5,
      });
      shown.push(performance.now() - started);
      await page.close();
    }
  } finally {
    await browser.close();
    await watch.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const round = (xs: number[]) => xs.map((x) => Math.round(x));
  const result = {
    points: 2 * POINTS,
    runs: RUNS,
    firstPaintMs: { median: Math.round(median(paint)), all: round(paint) },
    smoothingChangeMs: { median: Math.round(median(smoothing)), all: round(smoothing) },
    appendToShownMs: { median: Math.round(median(shown)), all: round(shown) },
  };
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      `${result.points} points, ${RUNS} fresh pages\n` +
        `first paint: median ${result.firstPaintMs.median} ms (${result.firstPaintMs.all.join(", ")})\n` +
        `smoothing change to the next frame: median ${result.smoothingChangeMs.median} ms (${result.smoothingChangeMs.all.join(", ")})\n` +
        `append to shown: median ${result.appendToShownMs.median} ms (${result.appendToShownMs.all.join(", ")})\n`,
    );
}

await main();
