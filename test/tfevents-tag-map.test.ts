import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalTag, indexedTerm, TAG_ALIASES } from "../src/sources/tag-map.ts";
import { CANONICAL_TAGS } from "../src/types.ts";

test("source tags map to DESIGN.md's canonical tags", () => {
  const table: [string, string][] = [
    ["loss/d/total", "loss_disc"],
    ["loss/d/adv", "loss_disc"],
    ["loss/g/total", "loss_gen_total"],
    ["loss/g/adv", "loss_gen"],
    ["loss/g/fm", "loss_fm"],
    ["loss/g/mel", "loss_mel"],
    ["loss/g/kl", "loss_kl"],
    ["learning_rate", "lr"],
    ["grad_norm_d", "grad_norm_d"],
    ["grad_norm_g", "grad_norm_g"],
    ["grad/norm_d", "grad_norm_d"],
    ["grad/norm_g", "grad_norm_g"],
    ["loss/d_r/0", "d_real_k/0"],
    ["loss/d_r/8", "d_real_k/8"],
    ["loss/d_g/5", "d_fake_k/5"],
    ["loss/g/0", "loss_gen_k/0"],
    ["loss/g/12", "loss_gen_k/12"],
  ];
  for (const [source, canonical] of table) assert.equal(canonicalTag(source), canonical, source);
});

test("canonical names map to themselves, other tags stay exactly as written", () => {
  for (const tag of CANONICAL_TAGS) assert.equal(canonicalTag(tag), tag);
  for (const tag of ["d_real_k/3", "d_fake_k/0", "loss_gen_k/8"]) assert.equal(canonicalTag(tag), tag);
  const kept = ["loss/g/dur", "loss/g/01", "loss/g/-1", "loss/d_r/x", "loss_avg_50/d/adv", ""];
  for (const tag of kept) assert.equal(canonicalTag(tag), tag);
  // Names of the ecosystem's alias table (src/sources/console/aliases.ts) map too, namespaces and all.
  assert.equal(canonicalTag("training/gen_loss_total"), "loss_gen_total");
  assert.equal(canonicalTag("Loss/D/Total"), "loss_disc");
  assert.equal(canonicalTag("loss/d/total "), "loss_disc"); // words, not spelling: the space says nothing
  assert.equal(canonicalTag("train/d_loss"), "loss_disc");
});

test("every alias targets a canonical tag", () => {
  for (const target of TAG_ALIASES.values())
    assert.ok((CANONICAL_TAGS as readonly string[]).includes(target), target);
});

test("indexed terms name their family and sub-discriminator", () => {
  assert.deepEqual(indexedTerm("loss/d_r/3"), { kind: "d_real_k", index: 3 });
  assert.deepEqual(indexedTerm("loss/d_g/0"), { kind: "d_fake_k", index: 0 });
  assert.deepEqual(indexedTerm("loss/g/6"), { kind: "loss_gen_k", index: 6 });
  assert.deepEqual(indexedTerm("loss_gen_k/2"), { kind: "loss_gen_k", index: 2 });
  assert.equal(indexedTerm("loss/g/total"), undefined);
  assert.equal(indexedTerm("loss/g/"), undefined);
  assert.equal(indexedTerm("loss_disc"), undefined);
});
