import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { JsonDocumentParser } from "../src/sources/json-document.ts";
import { readRuns } from "../src/sources/run-source.ts";

// A run's losses dumped as one JSON document at the end (json.dump(history)): lists or records.
const dir = mkdtempSync(join(tmpdir(), "nashboard-json-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const utf8 = (s: string) => new TextEncoder().encode(s);
const series = async (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  const { runs } = await readRuns(join(dir, name));
  return runs.map((r) => [
    r.format,
    r.series.map((s) => `${s.tag}<-${s.sourceTag}:${[...s.values].join(",")}`),
  ]);
};

test("an object of lists, pretty-printed or on one line: each list a series, its positions the steps", async () => {
  const doc = { L_D: [0.365, 0.0], L_G: [2.69, 1.55], lr: { d: [2e-4, 1e-4] } };
  const expected = [
    ["json", ["loss_disc<-L_D:0.365,0", "loss_gen<-L_G:2.69,1.55", "lr_d<-lr/d:0.0002,0.0001"]],
  ];
  assert.deepEqual(await series("pretty.json", JSON.stringify(doc, null, 2)), expected);
  // One line is also one JSONL record: its lists flattened to `L_D/0`, `L_D/1` are no losses, so the
  // document reader wins, and `d_loss/1` never reads as `d loss 1` (a D term).
  assert.deepEqual(await series("oneline.json", JSON.stringify(doc)), expected);
});

test("a list of records, with Python's NaN: read as JSONL lines", async () => {
  const text = '[{"step": 0, "d_loss": 0.7, "g_loss": 0.8}, {"step": 10, "d_loss": NaN, "g_loss": 0.9}]';
  assert.deepEqual(await series("records.json", text), [
    ["json", ["loss_disc<-d_loss:0.7,NaN", "loss_gen<-g_loss:0.8,0.9"]],
  ]);
});

test("followed: read as soon as the document parses, once; a broken one is a problem only at the end", () => {
  const p = new JsonDocumentParser("h.json");
  p.push(utf8('{"d_loss": [1, 2'));
  assert.deepEqual(p.end(false), { points: [], problems: [] });
  p.push(utf8('], "g_loss": [3, 4]}'));
  assert.equal(p.end(false).points.length, 4);
  assert.equal(p.end(true).points.length, 0);
  const broken = new JsonDocumentParser("b.json");
  broken.push(utf8('{"d_loss": [1,'));
  assert.equal(broken.end(false).problems.length, 0);
  assert.match(broken.end(true).problems[0].message, /^not JSON/);
});
