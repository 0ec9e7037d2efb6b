import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createFollowProvider } from "../src/server/follow-provider.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { GrowingFile } from "./helpers/growing-file.ts";

// A log of several games is one run per game on every surface: `watch` splits CycleGAN's A and B as
// `analyze` does, also when the games first appear while the log grows.
const dir = mkdtempSync(join(tmpdir(), "nashboard-games-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = (epoch: number, iters: number, a: number, b: number) =>
  `(epoch: ${epoch}, iters: ${iters}, time: 0.2, data: 0.01) D_A: ${a} G_A: ${a + 0.1} cycle_A: 1.2 D_B: ${b} G_B: ${b + 0.1} cycle_B: 1.1 lr: 0.0002\n`;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), what);
}

test("watch: a CycleGAN log growing from empty becomes runs A and B, fed like analyze reads them", async () => {
  const log = new GrowingFile(join(dir, "loss_log.txt"));
  log.append("================ Training Loss (Mon Mar  2 10:00:00 2020) ================\n");
  const provider = await createFollowProvider(log.path, { pollMs: 25, controlPollMs: 1000 });
  try {
    for (let i = 1; i <= 8; i++) log.append(line(1, i * 100, 0.3 - i * 0.01, 0.25));
    await until(() => provider.runs().some((r) => r.id.endsWith("#B")), "game B appears");
    const names = () =>
      provider
        .runs()
        .map((r) => r.id)
        .filter((id) => id.includes("#"))
        .sort();
    assert.deepEqual(names(), ["loss_log.txt#A", "loss_log.txt#B"]);
    for (let i = 9; i <= 12; i++) log.append(line(1, i * 100, 0.2, 0.25));
    const keyA = provider.runs().find((r) => r.id.endsWith("#A"))!.key;
    await until(
      () => (provider.columns(keyA)?.series.find((s) => s.tag === "loss_disc")?.steps.length ?? 0) === 12,
      "12 points of A",
    );
    const served = provider
      .columns(keyA)!
      .series.map((s) => s.tag)
      .sort();
    const analyzed = (await readRuns(log.path)).runs.find((r) => r.id.endsWith("#A"))!;
    assert.deepEqual(served, analyzed.series.map((s) => s.tag).sort());
    assert.ok(served.includes("loss_disc") && served.includes("loss_gen") && served.includes("lr"));
  } finally {
    await provider.close();
  }
});
