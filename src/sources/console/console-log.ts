/**
 * The generic console-log reader: D and G losses from the lines people's training scripts print, in any
 * of the shapes line-pairs.ts knows, or as a table under a header row (`Epoch | D_loss | acc | G_loss`).
 *
 * - A line is a loss line when one of its keys is D's or G's loss (aliases.ts, or the user's `--d-tag` /
 *   `--g-tag`). Every number on it with a key becomes a point: canonical keys under their canonical
 *   tag, the rest under their own name; position keys set the step (step-clock.ts).
 * - Several games in one log (CycleGAN's `D_A … G_A … D_B … G_B`) are tagged per game (games.ts) and
 *   become one run each.
 * - D's loss logged as its real and fake terms only (pix2pix `D_real`, `D_fake`; `d1=… d2=…`) is also
 *   summed into loss_disc (disc-terms.ts).
 * - A record printed one `key: value` per line is read as the one line it stands for (key-per-line.ts).
 * - `disc` and `gen` are D's and G's losses when both are on one line (aliases.ts' paired words).
 * - A line of `...` (rows elided from a paste) starts a new segment: nothing is smoothed across it.
 * - Accuracies printed as percentages are fractions in the canonical stream.
 */
import type { ScalarPoint } from "../../types.ts";
import { addDiscSum } from "../disc-terms.ts";
import { LineStreamParser } from "../line-parser.ts";
import type { TextLine } from "../lines.ts";
import { parseLogNumber } from "../number-text.ts";
import type { ParseOutput, ReadNames, RunHints } from "../parser.ts";
import { SegmentCounter } from "../segments.ts";
import { FRACTION_TAGS, type KeyMeaning, LOSS_TAGS } from "./aliases.ts";
import { cycleGame, gameTag, unknownKeyTag } from "./games.ts";
import { type HeaderTable, readHeader, readRow } from "./header-table.ts";
import { KeyMeanings } from "./key-meanings.ts";
import { KeyPerLineRecord, keyLinePair } from "./key-per-line.ts";
import { linePairs, type Pair } from "./line-pairs.ts";
import { positionOf } from "./line-position.ts";
import { type PrintedGanMode, printedGanMode } from "./printed-options.ts";
import { type Position, StepClock, type StepSource } from "./step-clock.ts";

/** Terminal colour and cursor codes (ESC [ ... letter), built from a string: a control character in a regex literal reads as a typo. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");
const ELISION =
  /^\s*(?:\.{3,}|…+|\[\s*(?:\.{3}|…)\s*\]|⋮|\(\s*\.{3}\s*\)|\.{3}\s*\(?(?:snip|omitted|truncated)[^)]*\)?)\s*$/i;
/** Lines that report an evaluation, not a training step: DCGAN-tensorflow's `[Sample]`, Keras-GAN's `0 (test)`. */
const EVALUATION =
  /\[\s*sample\s*\]|\(\s*(?:test|val|valid|validation|eval)\s*\)|^\s*(?:\[\w+\]\s*)?(?:test|val|valid|validation|eval(?:uation)?)\b\s*[:|[]/i;
/** A tqdm progress bar: `45%|████▌     |` or `100%|##########|`. */
const PROGRESS_BAR = /\d%\|/;
/** A capitalised key glued to the number before it: `10.019G_GAN:`. */
const GLUED = /\d[A-Z][A-Za-z0-9_]*:/;
const GLUED_ALL = /(\d)([A-Z][A-Za-z0-9_]*:)/g;
/** Keys of a tensor's repr or a timer that sit beside losses but are not quantities of the game. */
const NOISE_KEYS = new Set([
  "cuda",
  "device",
  "dtype",
  "shape",
  "numpy",
  "grad_fn",
  "s",
  "ms",
  "eta",
  "it",
  "cpu",
  "time",
  "data",
]);
/** A key's parts in parentheses: `g_loss(mse:0.000, vgg:0.000, adv:0.001)`. */
const PARTS =
  /([A-Za-z_]\w*)\((\s*[A-Za-z_]\w*\s*:\s*[-+.\deE]+(?:\s*,\s*[A-Za-z_]\w*\s*:\s*[-+.\deE]+)*\s*)\)/g;
const PART_KEY = /([A-Za-z_]\w*)(?=\s*:)/g;
/** A name and a colon alone on a line, the title of the list of numbers under it. */
const SECTION = /^\s*([A-Za-z][\w ()./-]*?)\s*:\s*$/;
/** Key words that say the critic of a Wasserstein GAN is being trained. */
const WASSERSTEIN_KEY = /wasserstein|w[-_ ]?dist|critic/i;
/** A gradient penalty: WGAN-GP's, but hinge and non-saturating GANs use one too (lightweight-gan's
 *  hinge with GP, StyleGAN's R1), so it says Wasserstein only beside a negative loss, which neither
 *  hinge nor BCE can write. */
const PENALTY_KEY = /\bgp\b|gradient[-_ ]penalty/i;

const STEP_NOTES: Record<StepSource, string> = {
  step: "steps as the log prints them",
  "epoch-batch": "step = epoch × batches per epoch + batch",
  "epoch-counter":
    "step = epochs since the first one × an epoch's length (learned from the log) + the per-epoch counter",
  epoch: "one line per epoch: the step is the epoch",
  "epoch-lines": "several lines per epoch without a batch index: steps are the loss lines' order",
  "line-order": "the log prints no step, iteration or epoch: steps are the loss lines' order (0, 1, 2, ...)",
};

export class ConsoleLogParser extends LineStreamParser {
  readonly format = "console";
  private readonly clock = new StepClock();
  private readonly segments = new SegmentCounter();
  private table: HeaderTable | undefined;
  private elisions = 0;
  private breakPending = false;
  private wasserstein = false;
  private penalty = false;
  private negativeLoss = false;
  private evaluations = 0;
  /** The GAN loss the trainer's printed options name (pytorch-CycleGAN-and-pix2pix's `gan_mode`). */
  private ganMode: PrintedGanMode | undefined;
  private section: { key: string; tag: string; next: number } | undefined;
  private sections = 0;
  private readonly usedUnderCarry = new Set<string>();
  private readonly games = new Set<string>();
  /** The first line that mentions a loss but gave no D or G point (for the "nothing read" error). */
  firstLossLikeLine: TextLine | undefined;
  /** The first line read as a loss line (for `--series`' "why this reader"). */
  firstLossLine: TextLine | undefined;

  private readonly keys: KeyMeanings;

  constructor(path: string, names: ReadNames = {}) {
    super(path);
    this.keys = new KeyMeanings(names);
  }

  meta(): RunHints {
    const notes: string[] = [];
    const source = this.clock.mainSource();
    if (source) notes.push(STEP_NOTES[source]);
    if (this.sections > 0)
      notes.push(`${this.sections} list(s) of values under a name: steps are their positions`);
    if (this.games.size > 1)
      notes.push(`${this.games.size} games in one log: ${[...this.games].join(", ")}, each judged apart`);
    if (this.evaluations > 0)
      notes.push(
        `${this.evaluations} evaluation line(s) ([Sample], (test), validation) left out of the training steps`,
      );
    if (this.elisions > 0)
      notes.push(
        `${this.elisions} elided stretch(es) ('...'): a new segment after each, nothing smoothed across`,
      );
    if (this.segments.resumes > this.elisions)
      notes.push(`the step went back ${this.segments.resumes - this.elisions} time(s) (restarts)`);
    const hints: RunHints = { notes };
    if (this.ganMode) {
      hints.lossFamily = this.ganMode.family;
      notes.push(`the trainer's printed options say gan_mode: ${this.ganMode.mode}`);
    } else if (this.wasserstein || (this.penalty && this.negativeLoss)) hints.lossFamily = "wasserstein";
    return hints;
  }

  protected readLine(line: TextLine, out: ParseOutput): void {
    let text = line.text.includes("\x1b") ? line.text.replace(ANSI, "") : line.text;
    // `time: 10.019G_GAN: -0.000G_Lp: 0.014` (MCnet): a key glued to the number before it.
    if (GLUED.test(text)) text = text.replace(GLUED_ALL, "$1 $2");
    // `g_loss(mse:0.000, vgg:0.000, adv:0.001)` (tensorlayer's SRGAN): G's loss as its parts, each a key.
    if (text.includes("("))
      text = text.replace(PARTS, (_, outer: string, inner: string) => inner.replace(PART_KEY, `${outer}_$1`));
    // One `key: value` per line: gathered into the record they print, read when it ends (key-per-line.ts).
    const pair = this.table || this.section ? undefined : keyLinePair(text);
    if (pair && !EVALUATION.test(text)) {
      if (!this.record.continuesWith(pair.key)) this.readRecord(out);
      this.record.add({ line, text, pair });
      return;
    }
    if (this.record.size > 0) this.readRecord(out);
    this.readText(line, text, out);
  }

  private readonly record = new KeyPerLineRecord();

  /**
   * A record of one key per line, read as the one line it stands for when it holds a loss; otherwise
   * (an options dump, a key alone) line by line, as any other lines.
   */
  private readRecord(out: ParseOutput): void {
    const lines = this.record.take();
    if (lines.length > 1) {
      const pairs = lines.map((l) => l.pair);
      const meanings = this.keys.ofLine(pairs);
      if (meanings.some(isLossMeaning)) {
        this.readLossLine(lines[0].line, pairs, meanings, positionOf(pairs, meanings, []), false, out);
        return;
      }
    }
    for (const l of lines) this.readText(l.line, l.text, out);
  }

  private readText(line: TextLine, text: string, out: ParseOutput): void {
    if (text.trim() === "") {
      this.section = undefined;
      return;
    }
    if (this.section && this.readSectionValue(text, out)) return;
    if (ELISION.test(text)) {
      this.elisions++;
      this.breakPending = true;
      return;
    }
    if (this.table && this.readTableRow(text, line, out)) return;
    if (EVALUATION.test(text)) {
      this.evaluations++;
      return;
    }
    // Before the first loss line only: the options block is printed when training starts.
    if (this.firstLossLine === undefined && text.includes("gan_mode")) {
      const printed = printedGanMode(text);
      if (printed) {
        this.ganMode = printed;
        return;
      }
    }
    const { pairs, bare } = linePairs(text);
    const meanings = this.keys.ofLine(pairs);
    const position = positionOf(pairs, meanings, bare, text);
    if (!meanings.some(isLossMeaning)) {
      if (pairs.length === 0 && this.readSectionHeader(text)) return;
      if (pairs.length === 0 && this.readTableHeader(text)) return;
      if (Object.keys(position).length > 0) {
        this.clock.carry(position);
        this.usedUnderCarry.clear();
      }
      if (this.firstLossLikeLine === undefined && /loss|err[DG]|\bD\b|\bG\b/i.test(text) && /\d/.test(text))
        this.firstLossLikeLine = line;
      return;
    }
    this.readLossLine(line, pairs, meanings, position, PROGRESS_BAR.test(text), out);
  }

  private readLossLine(
    line: TextLine,
    pairs: Pair[],
    meanings: (KeyMeaning | undefined)[],
    position: Position,
    bar: boolean,
    out: ParseOutput,
  ): void {
    this.firstLossLine ??= line;
    // A tqdm bar's postfix repeats, rounded, what a summary line after it prints: once a log is seen to
    // print summary lines, bars are not read (bars alone, as most tqdm logs are, are read as they come).
    if (bar && this.summaries > 0) return;
    if (!bar) {
      this.summaries++;
      this.heldBar = undefined;
      this.emit(pairs, meanings, position, out);
      return;
    }
    this.releaseBar(out);
    this.heldBar = { pairs, meanings, position };
  }

  /** A bar's points wait one loss line: a summary line right after it replaces them. */
  private heldBar: { pairs: Pair[]; meanings: (KeyMeaning | undefined)[]; position: Position } | undefined;
  private summaries = 0;

  private releaseBar(out: ParseOutput): void {
    const held = this.heldBar;
    this.heldBar = undefined;
    if (held) this.emit(held.pairs, held.meanings, held.position, out);
  }

  /** The end of what is there to read: a bar held back has no summary after it (yet). */
  override end(final: boolean): ParseOutput {
    const out = super.end(final);
    // A record of one key per line ends with the text. Reading a growing file, its writer may not have
    // printed the whole record yet; read now, live and analyze agree on the file as it stands.
    const before = out.points.length;
    if (this.record.size > 0) this.readRecord(out);
    if (out.points.length > before) out.points[out.points.length - 1].stepEnd = true;
    this.releaseBar(out);
    return out;
  }

  // Loops, not callbacks: this runs for every loss line, and a closure per line costs more than its numbers.
  private emit(
    pairs: Pair[],
    meanings: (KeyMeaning | undefined)[],
    position: Position,
    out: ParseOutput,
  ): void {
    const tagKeys: string[] = [];
    const lineGames = new Set<string>();
    for (const m of meanings) {
      if (m?.role.kind === "tag") tagKeys.push(gameTag(m.role.tag, m.game));
      if (m && m.game !== "") lineGames.add(m.game);
    }
    // A step carried from a line above serves each loss once: a loss met again under it means the
    // carried step is stale (the log stopped printing positions), and the lines go on without it.
    if (this.clock.carrying) {
      let stale = false;
      for (const k of tagKeys) stale ||= this.usedUnderCarry.has(k);
      if (stale) {
        this.clock.dropCarried();
        this.usedUnderCarry.clear();
      } else for (const k of tagKeys) this.usedUnderCarry.add(k);
    }
    const { step, epoch } = this.clock.resolve(position, tagKeys);
    if (this.breakPending) {
      this.segments.announceBreak();
      this.breakPending = false;
    }
    const segment = this.segments.observe(step);
    const seen = new Set<string>();
    const rowStart = out.points.length;
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      const m = meanings[i];
      if (m && m.role.kind !== "tag") continue;
      if (!m && NOISE_KEYS.has(pair.key.toLowerCase())) continue;
      if (WASSERSTEIN_KEY.test(pair.key)) this.wasserstein = true;
      if (PENALTY_KEY.test(pair.key)) this.penalty = true;
      const [tag, game] =
        m?.role.kind === "tag"
          ? cycleGame(m.role.tag, m.game, lineGames)
          : unknownKeyTag(pair.key, lineGames);
      // `D: 0.11, 0.10, 0.11, 0.13 | G: ...` (ComboGAN): one value per domain, each domain a game.
      const values = pair.list ?? [pair.value];
      for (let k = 0; k < values.length; k++) {
        const g = pair.list ? `${game === "" ? "" : `${game} `}${k}` : game;
        const full = gameTag(tag, g);
        if (seen.has(full)) continue;
        seen.add(full);
        if (g !== "") this.games.add(g);
        let value = values[k];
        if (FRACTION_TAGS.has(tag) && (pair.percent || value > 1)) value /= 100;
        if (value < 0 && (tag === "loss_disc" || tag === "loss_gen")) this.negativeLoss = true;
        // Built field by field: a spread object ends up in V8's slow dictionary mode.
        const point: ScalarPoint = { tag: full, sourceTag: pair.key, step, value, segment };
        if (epoch !== undefined) point.epoch = epoch;
        out.points.push(point);
      }
    }
    addDiscSum(out.points, rowStart);
  }

  /**
   * `Generator Losses:` on a line of its own, then one number per line (a script that dumps each list
   * at the end): the numbers are that loss at steps 0, 1, 2, ... until a line that is not a number.
   */
  private readSectionHeader(text: string): boolean {
    const name = SECTION.exec(text)?.[1];
    const m = name === undefined ? undefined : this.keys.meaning(name);
    if (!name || !m || m.role.kind !== "tag" || !LOSS_TAGS.has(m.role.tag)) return false;
    this.section = { key: name, tag: gameTag(m.role.tag, m.game), next: 0 };
    this.sections++;
    return true;
  }

  private readSectionValue(text: string, out: ParseOutput): boolean {
    const value = parseLogNumber(text);
    const section = this.section!;
    if (value === undefined) {
      this.section = undefined;
      return false;
    }
    // Each list has its own step count: the second list starting again at 0 is no restart.
    out.points.push({ tag: section.tag, sourceTag: section.key, step: section.next++, value, segment: 0 });
    return true;
  }

  /** A header row the lines under it are rows of (header-table.ts). */
  private readTableHeader(text: string): boolean {
    const table = readHeader(text, (name) => this.isLossKey(name));
    if (table) this.table = table;
    return table !== undefined;
  }

  /** A row of the table, read as the pairs of a loss line; false when the line is no row. */
  private readTableRow(text: string, line: TextLine, out: ParseOutput): boolean {
    const row = readRow(this.table!, text);
    if (row === "rule") return true;
    if (row === undefined) return false;
    const meanings = this.keys.ofLine(row.pairs);
    if (row.labelled && !meanings.some(isLossMeaning)) return true; // a row of other quantities
    this.firstLossLine ??= line;
    this.emit(row.pairs, meanings, positionOf(row.pairs, meanings, []), out);
    return true;
  }

  private isLossKey(name: string): boolean {
    return isLossMeaning(this.keys.meaning(name));
  }
}

function isLossMeaning(m: KeyMeaning | undefined): boolean {
  return m?.role.kind === "tag" && LOSS_TAGS.has(m.role.tag);
}
