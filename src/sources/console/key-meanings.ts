/**
 * What the keys of a console line mean, for one reader: the user's names first (`--d-tag`, `--g-tag`,
 * `--step-tag`), then the alias table (aliases.ts); then, across the line, the paired words (`disc`
 * beside `gen`); and a position key whose value is no count is no position (line-position.ts).
 */
import type { ReadNames } from "../parser.ts";
import { type KeyMeaning, keyMeaningInPath, pairedLossTag } from "./aliases.ts";
import type { Pair } from "./line-pairs.ts";
import { positionIfCount } from "./line-position.ts";

/** Logs print the same keys on every line: each is looked up once, up to this many (garbage keys). */
const MAX_KEYS = 4096;

export class KeyMeanings {
  private readonly meanings = new Map<string, KeyMeaning | undefined>();
  private readonly paired = new Map<string, string | undefined>();

  constructor(private readonly names: ReadNames = {}) {}

  /** The meanings of a line's keys: each key's, then the paired words'. */
  ofLine(pairs: Pair[]): (KeyMeaning | undefined)[] {
    const meanings: (KeyMeaning | undefined)[] = [];
    for (const p of pairs) meanings.push(positionIfCount(this.meaning(p.key), p.value));
    this.readPairedWords(pairs, meanings);
    return meanings;
  }

  /**
   * A key's meaning; a key of several words the table does not know is tried without its first words
   * (`No Discriminator_loss` after `ada_p: No`: the pattern took a word too many).
   */
  meaning(key: string): KeyMeaning | undefined {
    const known = this.meanings.get(key);
    if (known !== undefined || this.meanings.has(key)) return known;
    const m = this.lookUp(key);
    if (this.meanings.size < MAX_KEYS) this.meanings.set(key, m);
    return m;
  }

  private lookUp(key: string): KeyMeaning | undefined {
    const whole = this.meaningOf(key);
    if (whole || !/\s/.test(key)) return whole;
    const words = key.trim().split(/\s+/);
    for (let i = 1; i < words.length; i++) {
      const m = this.meaningOf(words.slice(i).join(" "));
      if (m) return m;
    }
    return undefined;
  }

  /** A key's meaning, the user's names first (`--d-tag`, `--g-tag`, `--step-tag`). */
  private meaningOf(key: string): KeyMeaning | undefined {
    const n = this.names;
    // A name matches the key as printed or its last slash-path part (`--d-tag d_loss` for `train/d_loss`).
    const named = (name: string | undefined) =>
      name !== undefined && (key === name || key.slice(key.lastIndexOf("/") + 1) === name);
    if (named(n.d)) return { role: { kind: "tag", tag: "loss_disc" }, game: "" };
    if (named(n.g)) return { role: { kind: "tag", tag: "loss_gen" }, game: "" };
    if (named(n.step)) return { role: { kind: "step" }, game: "" };
    const m = keyMeaningInPath(key);
    // A user who names D's or G's key means the table's guesses for that role are not it.
    if (m?.role.kind === "tag" && ((n.d && m.role.tag === "loss_disc") || (n.g && m.role.tag === "loss_gen")))
      return undefined;
    return m;
  }

  /**
   * `disc` and `gen` on one line, neither known otherwise: D's and G's losses (aliases.ts' paired words).
   * Not when the user named D's or G's key: their names say which keys are the players.
   */
  private readPairedWords(pairs: Pair[], meanings: (KeyMeaning | undefined)[]): void {
    if (this.names.d !== undefined || this.names.g !== undefined) return;
    let d = -1;
    let g = -1;
    for (let i = 0; i < pairs.length; i++) {
      if (meanings[i] !== undefined) continue;
      const tag = this.pairedTag(pairs[i].key);
      if (tag === "loss_disc" && d < 0) d = i;
      else if (tag === "loss_gen" && g < 0) g = i;
    }
    if (d < 0 || g < 0) return;
    meanings[d] = { role: { kind: "tag", tag: "loss_disc" }, game: "" };
    meanings[g] = { role: { kind: "tag", tag: "loss_gen" }, game: "" };
  }

  private pairedTag(key: string): string | undefined {
    if (this.paired.has(key)) return this.paired.get(key);
    const tag = pairedLossTag(key);
    if (this.paired.size < MAX_KEYS) this.paired.set(key, tag);
    return tag;
  }
}
