/**
 * A run's columns in one binary response, so a page receives a million points as typed arrays it can
 * view in place instead of parsing numbers out of text:
 *
 *   "NBC1" | u32 LE header length | header JSON (UTF-8) | zero padding to a multiple of 8 |
 *   per series, per column named in the header: n float64 little-endian
 *
 * header = { seq, series: [{ tag, sourceTag, n, columns: ["steps", "values", "wallTimes"?, "epochs"?] }] }
 */
import type { RunColumns, SeriesColumns } from "./provider.ts";

export const COLUMNS_MAGIC = "NBC1";

type ColumnName = "steps" | "values" | "wallTimes" | "epochs";

/** The response's parts in order; written one by one, the columns are not copied. */
export function encodeColumns(run: RunColumns): Buffer[] {
  const parts: Buffer[] = [];
  const series = run.series.map((s) => {
    const columns: ColumnName[] = ["steps", "values"];
    if (s.wallTimes) columns.push("wallTimes");
    if (s.epochs) columns.push("epochs");
    return { s, columns };
  });
  const header = Buffer.from(
    JSON.stringify({
      seq: run.seq,
      series: series.map(({ s, columns }) => ({
        tag: s.tag,
        sourceTag: s.sourceTag,
        n: s.steps.length,
        columns,
      })),
    }),
    "utf8",
  );
  const head = Buffer.alloc(8);
  head.write(COLUMNS_MAGIC, 0, "latin1");
  head.writeUInt32LE(header.length, 4);
  const pad = (8 - ((8 + header.length) % 8)) % 8;
  parts.push(head, header, Buffer.alloc(pad));
  for (const { s, columns } of series) {
    for (const c of columns) parts.push(littleEndian(s[c as keyof SeriesColumns] as Float64Array));
  }
  return parts;
}

const hostIsLittleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function littleEndian(a: Float64Array): Buffer {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (hostIsLittleEndian) return bytes;
  const copy = Buffer.from(bytes);
  copy.swap64();
  return copy;
}
