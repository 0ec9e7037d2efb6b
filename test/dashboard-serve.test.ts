/**
 * `nashboard train --serve`: the dashboard runs beside the trainer (in a process of its own), follows
 * the new run directory from its first line, receives live sample panels from the trainer, keeps
 * serving after the run and stops on Ctrl-C.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { collect, startCli } from "./helpers/cli.ts";

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = "";
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
    }).on("error", reject);
  });
}

async function until<T>(what: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("train --serve serves the growing run with live sample panels, and stops on Ctrl-C", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-serve-"));
  const out = join(dir, "run");
  const child = startCli([
    "train",
    "--serve",
    "--out",
    out,
    "--steps",
    "1500",
    "--log-interval",
    "10",
    "--eval-interval",
    "0",
    "--g-hidden",
    "16",
    "--d-hidden",
    "16",
    "--batch",
    "32",
  ]);
  const done = collect(child);
  let printed = "";
  child.stdout?.on("data", (d) => {
    printed += d;
  });
  try {
    const url = await until(async () => /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(printed)?.[1], 60000);
    const runs = await until(async () => {
      const r = await getJson(`${url}api/runs`);
      const list = r.body as { key: string; id: string; panel: boolean; lossFamily: string }[];
      return list.length > 0 ? list : undefined;
    }, 30000);
    assert.deepEqual(
      runs.map((r) => [r.key, r.id, r.panel, r.lossFamily]),
      [["r0", ".", true, "bce"]],
    );
    const panel = await until(async () => {
      const r = await getJson(`${url}api/runs/r0/panel`);
      const p = r.body as {
        source: string;
        step: number;
        real: number[];
        fake: number[];
        grid: { values: number[] };
      };
      return p?.source === "live" ? p : undefined;
    }, 30000);
    assert.equal(panel.real.length, 800);
    assert.equal(panel.fake.length, 800);
    assert.equal(panel.grid.values.length, 40 * 40);
    assert.ok(
      panel.grid.values.every((v) => v >= 0 && v <= 1),
      "BCE: D's probabilities",
    );
    await until(async () => (/Watching 1 run/.test(printed) ? true : undefined), 60000);
    const columns = await getJson(`${url}api/runs`);
    assert.equal(columns.status, 200, "still serving after the run");
    child.kill("SIGINT");
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Dashboard stopped/);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
