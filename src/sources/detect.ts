/**
 * Which format a file is, how sure that is, and why. TensorBoard event files are known by name
 * (`events.out.tfevents.*`) or by a first record whose length CRC checks out (12 bytes a text file
 * matches by chance once in 2^32). A text file is tried: each text format's own parser reads the head,
 * the most specific format first (JSON objects, the DCGAN tutorial's lines, the RVC family's, a table,
 * any console log), and the first that reads D's or G's loss from it wins, for sure. A format that only
 * recognises the head's shape (an RVC config dump before the first loss line, a table's header) is a
 * likely winner when no format read a loss; reading the whole file then decides, and a file from which
 * nothing is read is an error (the CLI says so, naming what was tried).
 */
import { maskedCrc32c } from "../tfrecord/masked-crc.ts";
import { LOSS_TAGS } from "./console/aliases.ts";
import { ConsoleLogParser } from "./console/console-log.ts";
import { splitGameTag } from "./console/games.ts";
import { detectSeparator, splitFields } from "./csv-fields.ts";
import { isDcganLine } from "./dcgan-console.ts";
import { createParser, type LogFormat } from "./formats.ts";
import { parseJsonObject } from "./jsonl.ts";
import { LineSplitter, splitLines, type TextLine } from "./lines.ts";
import type { ReadNames, StreamParser } from "./parser.ts";
import { isRvcLogLine } from "./rvc-log.ts";

export type { LogFormat } from "./formats.ts";

/** Text formats in the order they are tried: the most specific first. */
const TEXT_FORMATS: readonly LogFormat[] = ["jsonl", "json", "dcgan-console", "rvc-log", "csv", "console"];
/** Lines of the head whose shape is looked at (signatures); the parsers read the whole head. */
const LINES_LOOKED_AT = 200;

export interface FormatTrial {
  format: LogFormat;
  /** D and G loss points the format's parser read from the head. */
  lossPoints: number;
  /** All points it read. */
  points: number;
}

export interface Detection {
  format: LogFormat | undefined;
  /** sure: it read D's or G's loss from the head; likely: the head has the format's shape only. */
  confidence: "sure" | "likely" | "none";
  /** The line that decided, when one did. */
  evidence?: TextLine;
  /** What each text format tried read from the head, up to the winner (empty for event files). */
  tried: FormatTrial[];
  /** A line that mentions a loss but that no format read (for the "nothing read" message). */
  lossLike?: TextLine;
  /**
   * A table of one quantity, named by its file: TensorBoard's `Wall time,Step,Value` download, or lines
   * of bare numbers (`d_loss.txt`). The files of one folder are then one run (discover.ts).
   */
  oneSeries?: boolean;
}

/** The format of a file from its name and head, or undefined (unknown, empty). */
export function detectFormat(
  fileName: string,
  head: Uint8Array,
  names: ReadNames = {},
): LogFormat | undefined {
  return detectLog(fileName, head, names).format;
}

/** `whole`: the head is the whole file, so its last line is complete even without a line break. */
export function detectLog(
  fileName: string,
  head: Uint8Array,
  names: ReadNames = {},
  whole = false,
): Detection {
  const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
  if (base.includes("events.out.tfevents.") || hasTfRecordHeader(head))
    return { format: "tfevents", confidence: "sure", tried: [] };
  const lines = whole ? splitLines(head) : completeLines(head);
  const bytes = bytesOf(lines);
  // In order, up to the first that reads a loss: the rest would only cost time (~40 ms a file).
  const tried: FormatTrial[] = [];
  let consoleTrial: ConsoleLogParser | undefined;
  for (const format of TEXT_FORMATS) {
    const t = trial(format, fileName, lines, bytes, names, whole);
    tried.push(t.trial);
    if (t.parser instanceof ConsoleLogParser) consoleTrial = t.parser;
    if (t.trial.lossPoints > 0) break;
  }
  const winner = tried.find((t) => t.lossPoints > 0);
  const oneSeries = isOneSeriesTable(lines);
  const lineOf = (l: TextLine | undefined) => (l ? lines[l.line - 1] : undefined);
  if (winner) {
    // The console trial already knows its first loss line; other formats are asked line by line.
    const evidence =
      winner.format === "console"
        ? lineOf(consoleTrial?.firstLossLine)
        : firstLossLine(winner.format, fileName, lines, names);
    return {
      format: winner.format,
      confidence: "sure",
      tried,
      ...(evidence ? { evidence } : {}),
      ...(oneSeries && winner.format === "csv" ? { oneSeries } : {}),
    };
  }
  // No winner: every format was tried, the console reader last, which noted a loss-like line.
  const lossLike = lineOf(consoleTrial?.firstLossLikeLine);
  const shaped = byShape(lines.slice(0, LINES_LOOKED_AT));
  const byName = /\.(jsonl|ndjson)$/i.test(base) ? "jsonl" : /\.(csv|tsv)$/i.test(base) ? "csv" : undefined;
  const format = shaped ?? byName;
  return {
    format,
    confidence: format ? "likely" : "none",
    tried,
    ...(lossLike ? { lossLike } : {}),
    ...(oneSeries && format === "csv" ? { oneSeries } : {}),
  };
}

/** One number and nothing else (spaces around it allowed). */
const BARE_NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const TENSORBOARD_DOWNLOAD = /^\s*"?wall time"?\s*,\s*"?step"?\s*,\s*"?value"?\s*$/i;

function isOneSeriesTable(lines: TextLine[]): boolean {
  const first = lines.find((l) => meaningful(l.text))?.text;
  if (first === undefined) return false;
  if (TENSORBOARD_DOWNLOAD.test(first)) return true;
  return splitFields(first, detectSeparator(first))?.every((f) => BARE_NUMBER.test(f)) === true;
}

/** uint64 LE length, then the masked CRC32C of those 8 bytes. */
function hasTfRecordHeader(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const view = new DataView(head.buffer, head.byteOffset, 12);
  return view.getUint32(8, true) === maskedCrc32c(head, 0, 8);
}

/** The head's complete lines: a line cut at the end of the head says nothing reliable, unless it is all. */
function completeLines(head: Uint8Array): TextLine[] {
  const complete = new LineSplitter().push(head);
  return complete.length > 0 ? complete : splitLines(head);
}

function bytesOf(lines: TextLine[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => `${l.text}\n`).join(""));
}

function trial(
  format: LogFormat,
  fileName: string,
  lines: TextLine[],
  bytes: Uint8Array,
  names: ReadNames,
  whole: boolean,
): { trial: FormatTrial; parser?: StreamParser } {
  // A JSON document is one value: only a head that is the whole file can be tried.
  if (format === "json" && !whole) return { trial: { format, lossPoints: 0, points: 0 } };
  if (format === "csv" && !looksLikeTable(lines.map((l) => l.text).filter(meaningful))) {
    return { trial: { format, lossPoints: 0, points: 0 } };
  }
  const parser = createParser(format, fileName, names);
  const points = [...parser.push(bytes).points, ...parser.end(true).points];
  const lossPoints = points.filter((p) => LOSS_TAGS.has(splitGameTag(p.tag)[0])).length;
  return { trial: { format, lossPoints, points: points.length }, parser };
}

/** The first line from which the format reads a loss on its own (a table: its header). */
function firstLossLine(
  format: LogFormat,
  fileName: string,
  lines: TextLine[],
  names: ReadNames,
): TextLine | undefined {
  if (format === "csv") return lines.find((l) => meaningful(l.text));
  for (const line of lines.slice(0, 5000)) {
    const parser = createParser(format, fileName, names);
    const out = parser.push(bytesOf([line]));
    if (out.points.some((p) => LOSS_TAGS.has(splitGameTag(p.tag)[0]))) return line;
  }
  return undefined;
}

const meaningful = (t: string) => t.trim() !== "" && !t.startsWith("#");

/** The shape of a format without a loss read yet: JSON objects, the DCGAN line, an RVC-family line, a table. */
function byShape(lines: TextLine[]): LogFormat | undefined {
  const texts = lines.map((l) => l.text).filter(meaningful);
  if (texts.length === 0) return undefined;
  if (typeof parseJsonObject(texts[0]) !== "string") return "jsonl";
  if (/^\s*[[{]\s*$|^\s*\{\s*"[^"]+"\s*:\s*\[/.test(texts[0])) return "json";
  if (texts.some(isDcganLine)) return "dcgan-console";
  if (texts.some(isRvcLogLine)) return "rvc-log";
  if (looksLikeTable(texts)) return "csv";
  return undefined;
}

/** A header of two or more fields and a next line with as many, or lines of bare numbers. */
function looksLikeTable(lines: string[]): boolean {
  if (lines.length < 2) return false;
  if (
    lines
      .slice(0, 5)
      .every((l) =>
        /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:[\s,;]+[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)*\s*$/.test(
          l,
        ),
      )
  )
    return true;
  const separator = detectSeparator(lines[0]);
  const header = splitFields(lines[0], separator);
  const row = splitFields(lines[1], separator);
  return header !== undefined && row !== undefined && header.length >= 2 && row.length === header.length;
}
