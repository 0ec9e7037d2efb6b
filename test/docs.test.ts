import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const docs = (p: string) => fileURLToPath(new URL(`../docs/${p}`, import.meta.url));

test("the guide exists in English and Chinese, with the same figures, and every figure exists", () => {
  const figuresOf = (file: string) =>
    [...readFileSync(docs(file), "utf8").matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  const en = figuresOf("guide.md");
  const zh = figuresOf("guide.zh.md");
  assert.ok(en.length >= 6, "the guide shows the states on real curves");
  // A screenshot of the page in each language: `<name>.en.png` in one guide, `<name>.zh.png` in the other.
  assert.deepEqual(
    zh.map((f) => f.replace(/\.zh\.png$/, ".en.png")),
    en,
  );
  for (const f of [...en, ...zh]) {
    assert.ok(existsSync(docs(f)), `${f} exists`);
    if (f.endsWith(".png"))
      assert.deepEqual([...readFileSync(docs(f)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], f);
    else assert.match(readFileSync(docs(f), "utf8"), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  }
});

test("the guide states the equilibrium values the code uses", async () => {
  const { equilibrium } = await import("../src/losses/index.ts");
  const guide = readFileSync(docs("guide.md"), "utf8");
  for (const [k, version] of [
    [7, "RVC v1"],
    [9, "RVC v2 and Applio"],
    [6, "so-vits-svc and VITS"],
  ] as const) {
    const eq = equilibrium("lsgan", k);
    const fmt = (x: number | null) => (x !== null && Number.isInteger(x) ? x.toFixed(1) : String(x));
    // Table cells are padded by the formatter: compare the row's cells, not its spacing.
    const row = guide.split("\n").find((l) => l.startsWith(`| ${version} (K = ${k})`));
    assert.ok(row, version);
    const cells = row.split("|").map((c) => c.trim());
    assert.deepEqual(cells.slice(2, 4), [fmt(eq.loss_disc), fmt(eq.loss_gen)], version);
  }
});
