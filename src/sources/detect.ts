import { maskedCrc32c } from "../tfrecord/masked-crc.ts";
import { detectSeparator, splitFields } from "./csv-fields.ts";
import { isDcganLine } from "./dcgan-console.ts";
import { parseJsonObject } from "./jsonl.ts";
import { LineSplitter, splitLines } from "./lines.ts";
import { isRvcLogLine } from "./rvc-log.ts";

/** The formats Nashboard reads; each has one StreamParser with this `format` name. */
export type LogFormat = "tfevents" | "rvc-log" | "dcgan-console" | "csv" | "jsonl";

/** Lines of the head looked at: enough to pass a config dump and some warnings at the top of a log. */
const LINES_LOOKED_AT = 200;

/**
 * The format of a file from its name and first bytes (a few KB are plenty), or undefined when nothing
 * fits. TensorBoard event files are known by name (`events.out.tfevents.*`) or by a first record whose
 * length CRC checks out: 12 bytes a text file matches by chance once in 2^32. Text formats are known by
 * content, the most specific first (a JSON object, the DCGAN progress line, an RVC-family line, a
 * table), and only then by extension.
 */
export function detectFormat(fileName: string, head: Uint8Array): LogFormat | undefined {
  const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
  if (base.includes("events.out.tfevents.") || hasTfRecordHeader(head)) return "tfevents";
  const byContent = detectTextFormat(head);
  if (byContent) return byContent;
  if (/\.(jsonl|ndjson)$/i.test(base)) return "jsonl";
  if (/\.(csv|tsv)$/i.test(base)) return "csv";
  return undefined;
}

/** uint64 LE length, then the masked CRC32C of those 8 bytes. */
function hasTfRecordHeader(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const view = new DataView(head.buffer, head.byteOffset, 12);
  return view.getUint32(8, true) === maskedCrc32c(head, 0, 8);
}

function detectTextFormat(head: Uint8Array): LogFormat | undefined {
  // The head may end inside a line; that cut line says nothing reliable, unless it is all there is.
  const complete = new LineSplitter().push(head);
  const lines = (complete.length > 0 ? complete : splitLines(head))
    .map((l) => l.text)
    .filter((t) => t.trim() !== "" && !t.startsWith("#"))
    .slice(0, LINES_LOOKED_AT);
  if (lines.length === 0) return undefined;
  if (typeof parseJsonObject(lines[0]) !== "string") return "jsonl";
  if (lines.some(isDcganLine)) return "dcgan-console";
  if (lines.some(isRvcLogLine)) return "rvc-log";
  if (looksLikeTable(lines)) return "csv";
  return undefined;
}

/** A header of two or more fields and a next line with as many. */
function looksLikeTable(lines: string[]): boolean {
  if (lines.length < 2) return false;
  const separator = detectSeparator(lines[0]);
  const header = splitFields(lines[0], separator);
  const row = splitFields(lines[1], separator);
  return header !== undefined && row !== undefined && header.length >= 2 && row.length === header.length;
}
