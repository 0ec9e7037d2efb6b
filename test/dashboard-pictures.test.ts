/**
 * The dashboard's pictures never mislead (issue 15), in a real browser (Debian's chromium through
 * playwright-core) on `nashboard watch` over a trainer run, a one-line RVC paste, a two-line RVC log
 * and a so-vits-svc log: a loss logged once is a table of values that becomes a chart when a second
 * step arrives; learning-rate axes read 9e-4 … 1.1e-3; a count is drawn as logged, in whole numbers;
 * the equilibrium lines are inside the y range with their labels uncovered; each run's health shows in
 * the run list; a voice model's candidate checkpoints are listed; every word switches to Chinese.
 */
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { keepScreenshot, launchBrowser, openPage, startWatch, type Watch } from "./helpers/browser.ts";

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

describe("the dashboard's pictures in chromium", () => {
  let dir: string;
  let watch: Watch;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const keys = new Map<string, string>();
  let keyShown = "";

  /** Shows the run named `name` and waits until its report has arrived. */
  async function show(name: string) {
    const key = keys.get(name);
    assert.ok(key, `${name} is listed`);
    await page.click(`#run-list li[data-key="${key}"] button`);
    await page.waitForFunction((k) => window.nashboard.state.primary === k, key);
    keyShown = key;
    await page.waitForFunction(() => (document.getElementById("verdict")?.textContent ?? "").length > 0);
  }
  /** The shown run's chart of this title, once drawn. */
  const chart = async (title: string) => {
    await page.waitForFunction((t) => {
      const nb = window.nashboard;
      return nb.charts().some((c) => c.title === t && c.run === nb.state.primary);
    }, title);
    const charts = await page.evaluate(() => window.nashboard.charts());
    const found = charts.find((c) => c.title === title && c.run === keyShown);
    assert.ok(found, title);
    return found;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-pictures-"));
    cpSync(fixture("nashboard-runs/ring8-bce"), join(dir, "ring8-bce"), { recursive: true });
    copyFileSync(fixture("real-logs/fumiama-RVC-WebUI-issue135.log"), join(dir, "paste.log"));
    copyFileSync(fixture("real-logs/RVC-WebUI-issue1464.log"), join(dir, "growing.log"));
    copyFileSync(fixture("real-logs/vits-family/wsywsy979_SVC__32k_train.log"), join(dir, "svc.log"));
    [watch, browser] = await Promise.all([startWatch(dir), launchBrowser()]);
    page = await openPage(browser, errors);
    await page.goto(watch.url);
    await page.waitForFunction(() => document.querySelectorAll("#run-list li").length === 4);
    // Every file read to its end before the tests look (the follower reads them after the page opens).
    await page.waitForFunction(() => {
      const last = [...window.nashboard.state.reports.values()]
        .map((r) => r?.lastStep ?? -1)
        .sort((a, b) => a - b);
      return JSON.stringify(last) === JSON.stringify([0, 1, 200, 48800]);
    });
    for (const [key, name] of await page.$$eval("#run-list li", (els) =>
      els.map((e) => [(e as HTMLElement).dataset.key ?? "", e.querySelector("button")?.textContent ?? ""]),
    ))
      keys.set(name, key);
  });
  after(async () => {
    await browser?.close();
    await watch?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a loss logged once is shown as its values, beside the equilibrium, not as an empty chart", async () => {
    await show("paste.log");
    await page.waitForSelector("#values .values");
    const values = (await page.locator("#values .values").textContent()) ?? "";
    assert.match(values, /loss_disc3\.32 at step 0; not a finite number at step 1/);
    assert.match(values, /loss_disc equilibrium 4\.5, loss_gen equilibrium 2\.25/);
    const titles = (await page.evaluate(() => window.nashboard.charts())).map((c) => c.title);
    assert.ok(!titles.includes("loss_disc, loss_gen"), titles.join(" | "));
    // loss_mel has two steps: a chart, on whole steps only
    assert.deepEqual((await chart("loss_mel, loss_fm, loss_kl")).ticks.x, ["0", "1"]);
    await keepScreenshot(page, "pictures-one-point");
  });

  test("the values become a chart as soon as a second step is logged", async () => {
    await show("growing.log");
    await page.waitForSelector("#values .values");
    appendFileSync(
      join(dir, "growing.log"),
      "loss_disc=2.601, loss_gen=3.204, loss_fm=12.9,loss_mel=24.1, loss_kl=1.75\n",
    );
    const losses = await chart("loss_disc, loss_gen");
    assert.deepEqual(losses.ticks.x, ["0", "1"]);
    assert.equal(await page.locator("#values .values").count(), 0);
  });

  test("learning rates read in scientific notation, counts in whole numbers drawn as logged", async () => {
    await show("ring8-bce");
    const lr = await chart("lr_d, lr_g");
    assert.deepEqual(lr.ticks.y, ["9e-4", "1e-3", "1.1e-3"]);
    const hq = await chart("eval/hq");
    assert.equal(new Set(hq.ticks.y).size, hq.ticks.y.length, hq.ticks.y.join(" "));
    const modes = await chart("eval/modes");
    for (const t of modes.ticks.y) assert.match(t, /^\d+$/);
    const data = await page.evaluate(() => window.nashboard.chartData("eval/modes"));
    assert.ok(data && data.length === 3, "x, raw, smoothed");
    const drawn = data[2].filter((v): v is number => typeof v === "number");
    assert.ok(drawn.length >= 2);
    for (const v of drawn) assert.ok(Number.isInteger(v), `modes drawn as ${v}`);
  });

  test("the equilibrium lines are inside the y range, their labels inside and uncovered", async () => {
    for (const name of ["ring8-bce", "svc.log"]) {
      await show(name);
      await page.waitForFunction(() => {
        const nb = window.nashboard;
        return nb.charts().some((c) => c.run === nb.state.primary && c.refLabels.length === 2);
      });
      const losses = await chart("loss_disc, loss_gen");
      const { yRange, refLabels } = losses;
      const eq = name === "svc.log" ? [3, 1.5] : [2 * Math.LN2, Math.LN2];
      for (const y of eq) assert.ok(y > yRange[0] && y < yRange[1], `${name}: ${y} in ${yRange}`);
      for (const l of refLabels) {
        assert.ok(l.inside, `${name}: ${l.text} inside the plot`);
        assert.equal(l.covered, 0, `${name}: ${l.text} covered by ${l.covered} px of curve`);
      }
      assert.ok(losses.ticks.y.length >= 3);
    }
  });

  test("the run list shows each run's health in the verdict's colours", async () => {
    const health = await page.$$eval("#run-list li", (els) =>
      els.map((e) => ({
        name: e.querySelector("button")?.textContent,
        health: (e as HTMLElement).dataset.health,
        color: getComputedStyle(e.querySelector("i.health") as Element).backgroundColor,
        title: (e.querySelector("i.health") as HTMLElement).title,
      })),
    );
    const of = (name: string) => health.find((h) => h.name === name);
    assert.equal(of("ring8-bce")?.health, "healthy");
    assert.equal(of("ring8-bce")?.color, "rgb(46, 125, 50)");
    assert.equal(of("paste.log")?.health, "unhealthy");
    assert.equal(of("paste.log")?.color, "rgb(198, 40, 40)");
    assert.match(of("paste.log")?.title ?? "", /UNHEALTHY/);
  });

  test("a voice model's candidate checkpoints are listed", async () => {
    await show("svc.log");
    await page.waitForSelector("#candidates:not([hidden]) li");
    const items = await page.$$eval("#candidates li", (els) => els.map((e) => e.textContent ?? ""));
    assert.ok(
      items.some((t) => /G_3000\.pth/.test(t)),
      items.join("\n"),
    );
    assert.match((await page.locator("#candidates h3").textContent()) ?? "", /[Cc]andidate/);
    await show("ring8-bce");
    assert.equal(await page.locator("#candidates").isHidden(), true, "a 2D trainer run has none");
  });

  test("every word on the page switches to Chinese: tooltips, evidence, alerts, axes, values", async () => {
    await show("ring8-bce");
    await page.click("#lang-zh");
    await page.waitForFunction(() => /结论/.test(document.getElementById("verdict")?.textContent ?? ""));
    await page.waitForFunction(() =>
      /平衡/.test(
        (document.querySelector(".state-band .seg[data-state=balanced]") as HTMLElement)?.dataset.text ?? "",
      ),
    );
    await page.locator(".state-band .seg[data-state=balanced]").first().hover();
    const tip = (await page.locator("#tooltip").textContent()) ?? "";
    assert.match(tip, /^第 \d+–\d+ 步：平衡（置信度 [\d.]+；判别器的领先/);
    assert.doesNotMatch(tip, /\.rel|trend_z|d_gap|confidence|balanced/, tip);
    assert.match(tip, /，loss_disc 相对其均衡值 /, "items apart with Chinese commas");
    await page.waitForSelector("#alerts tr.alert");
    const alerts = await page.$$eval("#alerts tr.alert", (rows) => rows.map((r) => r.textContent ?? ""));
    assert.ok(alerts.length > 0 && alerts.every((a) => /尖峰/.test(a) && /警告/.test(a)), alerts.join("\n"));
    const losses = await chart("loss_disc, loss_gen");
    assert.equal(losses.axisTitle, "步数");
    assert.match(losses.refLabels[0].text, /均衡值/);
    const dot = await page
      .locator(`#run-list li[data-key="${keys.get("ring8-bce")}"] i.health`)
      .getAttribute("title");
    assert.match(dot ?? "", /结论：健康/);
    await keepScreenshot(page, "pictures-zh");
    await show("paste.log");
    await page.waitForSelector("#values .values");
    assert.match(
      (await page.locator("#values .values").textContent()) ?? "",
      /数据点太少.*第 0 步为 3\.32；?/,
    );
    await page.click("#lang-en");
    await page.waitForFunction(() => /Verdict/.test(document.getElementById("verdict")?.textContent ?? ""));
    assert.deepEqual(errors, []);
  });
});
