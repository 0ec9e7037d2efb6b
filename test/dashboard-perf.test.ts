/**
 * A run of a million points (two tags of a million steps each) in the page: it is painted (performance
 * mark "nashboard:first-paint", set when the first chart has drawn its data), decimated to pixel width,
 * re-smoothed and redrawn when the slider moves, and decimated again from the full columns on a zoom.
 * How fast is a benchmark, not a test (a wall-clock limit fails on a loaded machine with nothing
 * wrong): bench/dashboard-first-paint.ts, figures in bench/RESULTS-dashboard.md.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { writeBigCsv } from "./helpers/big-csv.ts";
import { colorInk, keepScreenshot, launchBrowser, startWatch, type Watch } from "./helpers/browser.ts";

const POINTS = 1_000_000;

describe("a million points in chromium", () => {
  let dir: string;
  let watch: Watch;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-perf-"));
    const csv = join(dir, "long-run.csv");
    await writeBigCsv(csv, POINTS);
    [watch, browser] = await Promise.all([startWatch(csv), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await watch?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("paints a 1M-point run, decimated to pixel width", async () => {
    await page.goto(watch.url);
    // A hang guard, not a limit: the time is measured by bench/dashboard-first-paint.ts.
    await page.waitForFunction(() => performance.getEntriesByName("nashboard:first-paint").length > 0, null, {
      timeout: 120000,
    });
    const charts = await page.evaluate(() =>
      (
        window as unknown as { nashboard: { charts(): { title: string; points: number }[] } }
      ).nashboard.charts(),
    );
    const n = await page.evaluate(
      () =>
        (window as unknown as { nashboard: { last(t: string): { n: number } } }).nashboard.last("loss_disc")
          .n,
    );
    assert.equal(n, POINTS);
    assert.equal(charts[0].title, "loss_disc, loss_gen");
    // Two points per pixel column at most, per line (raw and smoothed, two tags): thousands, not millions.
    assert.ok(
      charts[0].points > 500 && charts[0].points < 20000,
      `${charts[0].points} x values handed to uPlot`,
    );
    assert.ok((await colorInk(page, "#charts section.chart:first-child canvas", [21, 101, 192])) > 200);
    await keepScreenshot(page, "dashboard-1m");
  });

  test("a smoothing change re-smooths both series and redraws the chart", async () => {
    const canvas = page.locator("#charts section.chart:first-child canvas").first();
    const before = await canvas.screenshot();
    await page.evaluate(async () => {
      const slider = document.getElementById("smoothing") as HTMLInputElement;
      slider.value = "0.95";
      slider.dispatchEvent(new Event("input"));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
    assert.equal(await page.locator("#smoothing-value").textContent(), "0.95");
    assert.ok(!before.equals(await canvas.screenshot()), "the smoothed curves were drawn again, differently");
    const charts = await page.evaluate(() =>
      (window as unknown as { nashboard: { charts(): { points: number }[] } }).nashboard.charts(),
    );
    assert.ok(
      charts[0].points > 500 && charts[0].points < 20000,
      `${charts[0].points} x values after smoothing`,
    );
  });

  test("a zoom decimates the visible range again from the full columns", async () => {
    type Zooming = { nashboard: { zoom(a: number, b: number): void; drawnX(): [number, number, number] } };
    await page.evaluate(() => (window as unknown as Zooming).nashboard.zoom(500_000, 500_400));
    await page.waitForFunction(() => (window as unknown as Zooming).nashboard.drawnX()[2] < 2000);
    const [first, last, count] = await page.evaluate(() => (window as unknown as Zooming).nashboard.drawnX());
    // Every step in the range at full resolution (401 of them), plus one beyond each edge.
    assert.deepEqual([first, last, count], [499_999, 500_401, 403]);
    await keepScreenshot(page, "dashboard-1m-zoomed");
  });
});
