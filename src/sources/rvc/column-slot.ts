import type { ColumnTarget, TextColumn } from "../parser.ts";

/**
 * One (tag, source tag) a reader writes points of, with the column a target gave for it: the reader
 * keeps the slot, so the point after the first one goes to its column without a lookup by name.
 */
export class ColumnSlot {
  column: TextColumn | undefined;
  /** The target that gave `column`: a column is only valid for the target it came from. */
  owner: ColumnTarget | undefined;

  constructor(
    readonly tag: string,
    readonly sourceTag: string,
  ) {}

  /** This slot's column in `target` (which has textColumn). */
  columnIn(target: ColumnTarget): TextColumn {
    if (this.owner !== target || this.column === undefined) {
      this.column = target.textColumn!(this.tag, this.sourceTag);
      this.owner = target;
    }
    return this.column;
  }
}

/** Slots by tag and source tag, for points whose names are only known as strings. */
export class SlotTable {
  private readonly byTag = new Map<string, Map<string, ColumnSlot>>();

  get(tag: string, sourceTag: string): ColumnSlot {
    let forTag = this.byTag.get(tag);
    if (forTag === undefined) {
      forTag = new Map();
      this.byTag.set(tag, forTag);
    }
    let slot = forTag.get(sourceTag);
    if (slot === undefined) {
      slot = new ColumnSlot(tag, sourceTag);
      forTag.set(sourceTag, slot);
    }
    return slot;
  }
}
