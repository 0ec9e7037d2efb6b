import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { detectFormat } from "../src/sources/detect.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";

const DIR = new URL("./fixtures/real-logs/", import.meta.url);
const utf8 = (s: string) => new TextEncoder().encode(s);
/** The first 4 KB, as a caller sniffing a file would pass. */
const headOf = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR))).subarray(0, 4096);

test("every real RVC-family log is rvc-log by content, whatever its name", () => {
  const names = [
    ...readdirSync(DIR).filter((f) => f.endsWith(".log")),
    ...readdirSync(new URL("vits-family/", DIR))
      .filter((f) => f.endsWith(".log"))
      .map((f) => `vits-family/${f}`),
  ];
  assert.equal(names.length, 14);
  for (const name of names) assert.equal(detectFormat("pasted.txt", headOf(name)), "rvc-log", name);
});

test("the DCGAN tutorial output is dcgan-console", () => {
  assert.equal(
    detectFormat("out.txt", headOf("dcgan/pytorch-dcgan-tutorial-apachecn-zh-1.7.log")),
    "dcgan-console",
  );
});

test("tfevents by file name, or by a first record whose length CRC checks out", () => {
  assert.equal(
    detectFormat("logs/44k/events.out.tfevents.1679864915.host.123.0", new Uint8Array(0)),
    "tfevents",
  );
  const record = frameRecord(utf8("\t\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u001a\rbrain.Event:2"));
  assert.equal(detectFormat("renamed.bin", record), "tfevents");
  const broken = record.slice();
  broken[8] ^= 0xff; // the length CRC no longer matches
  assert.notEqual(detectFormat("renamed.bin", broken), "tfevents");
});

test("JSONL and CSV by content, then by extension", () => {
  assert.equal(detectFormat("x", utf8('{"step": 1, "loss_disc": NaN}\n{"step": 2}\n')), "jsonl");
  assert.equal(detectFormat("x", utf8("Wall time,Step,Value\n1686471125.1,200,3.859\n")), "csv");
  assert.equal(detectFormat("x", utf8("step\tloss_disc\n0\t1.5\n")), "csv");
  assert.equal(detectFormat("m.jsonl", utf8("")), "jsonl");
  assert.equal(detectFormat("m.csv", utf8("")), "csv");
  assert.equal(detectFormat("notes.txt", utf8("just some words\nand more words\n")), undefined);
});

test("the detection looks past a config dump and warnings, and ignores a line cut at the end of the head", () => {
  const head = utf8(
    "2023-03-26 21:08:14,805\t32k\tINFO\t{'train': {'log_interval': 200}}\n" +
      "2023-03-26 21:08:14,806\t32k\tWARNING\tnot a git repository\n" +
      "2023-03-26 21:08:35,152\t32k\tINFO\tTrain Epoch: 1 [0%]\n" +
      '{"step": 1, "cut',
  );
  assert.equal(detectFormat("train.log", head), "rvc-log");
});
