/**
 * What the TensorBoard event parser knows of each tag of a file, worked out once per tag (its canonical
 * name, its sub-discriminator term, whether the run's hints or the derived loss_gen need its values, its
 * column), and the plugin each tag was first written with: TF2 writes a tag's metadata only on its first
 * event, so a later tensor of the tag is known to be a scalar, an image or a clip only from that.
 * Apart from tfevents.ts, which routes the values of each event, because this is what a tag is.
 */
import type { ScalarColumn } from "./scalar-target.ts";
import { canonicalTag, type IndexedTerm, indexedTerm } from "./tag-map.ts";

/** What the parser needs to know about a source tag, worked out once per tag. */
export interface TagInfo {
  sourceTag: string;
  tag: string;
  term: IndexedTerm | undefined;
  /** The file logs loss_gen itself, so none is derived. */
  isLossGen: boolean;
  /** Its values feed the derived loss_gen or the run's hints: `track` must see them. */
  tracked: boolean;
  /**
   * `track` must see every value (a loss_gen term, summed per step), not just one: a hint (the number
   * of sub-discriminators, a loss_gen of the file's own) is known from the tag's first value.
   */
  everyValue: boolean;
  /** The PointSink key: the order in which the file's tags were first seen. */
  key: number;
  /** The current target's column for this tag, once asked for (cleared when the target changes). */
  column: ScalarColumn | undefined;
}

/** The tags of one event file and their plugins. */
export class EventTags {
  private readonly tags = new Map<string, TagInfo>();
  private readonly plugins = new Map<string, string>();

  /** A tag's info, made on its first sight. */
  info(sourceTag: string): TagInfo {
    let info = this.tags.get(sourceTag);
    if (info === undefined) {
      const tag = canonicalTag(sourceTag);
      const key = this.tags.size;
      const term = indexedTerm(sourceTag);
      const isLossGen = tag === "loss_gen";
      const tracked = term !== undefined || isLossGen;
      const everyValue = term?.kind === "loss_gen_k";
      info = { sourceTag, tag, term, isLossGen, tracked, everyValue, key, column: undefined };
      this.tags.set(sourceTag, info);
    }
    return info;
  }

  /** Columns belong to the target that gave them: forgets them all when the target changes. */
  forgetColumns(): void {
    for (const info of this.tags.values()) info.column = undefined;
  }

  /**
   * Whether a one-element tensor is a scalar: its tag's plugin, from this value's metadata or the tag's
   * first event (TF2 writes metadata only there), is "scalars" or unknown.
   */
  isScalarPlugin(tag: string, plugin: string | undefined): boolean {
    const known = this.pluginOf(tag, plugin);
    return known === undefined || known === "scalars";
  }

  /** The plugin of a tag: the first one a value of it named, remembered for the values that name none. */
  pluginOf(tag: string, plugin: string | undefined): string | undefined {
    if (plugin === undefined) return this.plugins.get(tag);
    if (!this.plugins.has(tag)) this.plugins.set(tag, plugin);
    return plugin;
  }
}
