import { CANONICAL_TAGS } from "../types.ts";
import { keyMeaning } from "./console/aliases.ts";
import { gameTag } from "./console/games.ts";

/**
 * Source tags with a canonical name (DESIGN.md, "Canonical tags"). Exact, case-sensitive names: a tag not
 * here keeps its own name, so nothing a user logged is lost or merged by accident.
 */
export const TAG_ALIASES: ReadonlyMap<string, string> = new Map([
  // RVC / VITS / so-vits-svc tensorboard tags (utils.summarize).
  ["loss/d/total", "loss_disc"],
  ["loss/g/total", "loss_gen_total"],
  ["loss/g/fm", "loss_fm"],
  ["loss/g/mel", "loss_mel"],
  ["loss/g/kl", "loss_kl"],
  ["learning_rate", "lr"],
  // Applio, since 2025-05 (4dca1d77): d/total became d/adv, and the generator's adversarial part is logged.
  ["loss/d/adv", "loss_disc"],
  ["loss/g/adv", "loss_gen"],
  ["grad/norm_d", "grad_norm_d"],
  ["grad/norm_g", "grad_norm_g"],
]);

/** Per-sub-discriminator tags: `<prefix><index>` becomes `<canonical>/<index>`. */
export const INDEXED_TAG_PREFIXES: ReadonlyMap<string, "d_real_k" | "d_fake_k" | "loss_gen_k"> = new Map([
  ["loss/d_r/", "d_real_k"],
  ["loss/d_g/", "d_fake_k"],
  ["loss/g/", "loss_gen_k"],
] as const);

const CANONICAL = new Set<string>(CANONICAL_TAGS);
const INDEXED_CANONICAL = /^(d_real_k|d_fake_k|loss_gen_k)\/(0|[1-9][0-9]*)$/;
const INDEX = /^(0|[1-9][0-9]*)$/;

export interface IndexedTerm {
  /** The canonical family: d_real_k, d_fake_k or loss_gen_k. */
  kind: "d_real_k" | "d_fake_k" | "loss_gen_k";
  /** The sub-discriminator's index, from 0. */
  index: number;
}

/** When `sourceTag` is a per-sub-discriminator term (`loss/d_r/3` or `d_real_k/3`), which one it is. */
export function indexedTerm(sourceTag: string): IndexedTerm | undefined {
  for (const [prefix, kind] of INDEXED_TAG_PREFIXES) {
    if (sourceTag.startsWith(prefix)) {
      const rest = sourceTag.slice(prefix.length);
      return INDEX.test(rest) ? { kind, index: Number(rest) } : undefined;
    }
  }
  const m = INDEXED_CANONICAL.exec(sourceTag);
  return m ? { kind: m[1] as IndexedTerm["kind"], index: Number(m[2]) } : undefined;
}

/**
 * The canonical tag for a source's tag: an alias from the table above, a canonical name itself, an
 * indexed term (`loss/d_r/i` -> `d_real_k/i`, `loss/d_g/i` -> `d_fake_k/i`, `loss/g/i` ->
 * `loss_gen_k/i`), a name the ecosystem's alias table knows (`d_loss`, `Loss_D`, `D_A` of game A: see
 * console/aliases.ts), or else the tag exactly as written.
 */
export function canonicalTag(sourceTag: string): string {
  const alias = TAG_ALIASES.get(sourceTag);
  if (alias !== undefined) return alias;
  if (CANONICAL.has(sourceTag)) return sourceTag;
  const term = indexedTerm(sourceTag);
  if (term) return `${term.kind}/${term.index}`;
  const last = sourceTag.slice(sourceTag.lastIndexOf("/") + 1);
  if (CANONICAL.has(last)) return sourceTag; // a namespaced canonical name (`eval/d_real`) is its own quantity
  // An element of a list (`d_loss/1`, JSON flattened) is no name: read as words it would be `d loss 1`.
  if (INDEX.test(last) && last !== sourceTag) return sourceTag;
  // Whole (`Loss/D`, `train/d_loss`), then its last part (`losses/d_loss`).
  const known = keyMeaning(sourceTag) ?? (last !== sourceTag && last !== "" ? keyMeaning(last) : undefined);
  return known?.role.kind === "tag" ? gameTag(known.role.tag, known.game) : sourceTag;
}

/** The canonical tag of a TensorBoard tag the trainers of DESIGN.md write (no alias-table guess). */
export function tensorboardTag(sourceTag: string): string | undefined {
  const alias = TAG_ALIASES.get(sourceTag);
  if (alias !== undefined) return alias;
  const term = indexedTerm(sourceTag);
  return term ? `${term.kind}/${term.index}` : undefined;
}
