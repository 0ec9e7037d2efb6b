/**
 * A whole JSON document of a run's losses, as scripts dump them at the end (`json.dump(history, f)`):
 * - columns: an object whose values are lists, `{"L_D": [0.36, 0.0], "L_G": [2.69, 1.55]}` (a Keras
 *   `History.history`, a dict of per-epoch lists): each list a series, its positions the steps;
 * - records: a list of objects, `[{"step": 0, "d_loss": 0.7}, ...]`: each one read as a JSONL line.
 * Nested objects are flattened with `/` as in JSONL. The document is parsed when the file is complete
 * or, followed, as soon as what is there parses (it is one value, not lines); one larger than
 * `MAX_DOCUMENT_BYTES` is reported, not held.
 */
import type { ReadProblem, ScalarPoint } from "../types.ts";
import { JsonlParser, numberOf, parseJsonValue } from "./jsonl.ts";
import type { ParseOutput, ReadNames, RunHints, StreamParser } from "./parser.ts";
import { canonicalTag } from "./tag-map.ts";

/** A document this large is no history dump; reading it whole would hold it all in memory. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export class JsonDocumentParser implements StreamParser {
  readonly format = "json";
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private tooLarge = false;
  private done = false;
  private shape: "columns" | "records" | undefined;
  private readonly records: JsonlParser;

  constructor(
    readonly path: string,
    names: ReadNames = {},
  ) {
    this.records = new JsonlParser(path, names);
  }

  push(chunk: Uint8Array): ParseOutput {
    this.bytes += chunk.length;
    if (this.bytes > MAX_DOCUMENT_BYTES) this.tooLarge = true;
    if (!this.tooLarge) this.chunks.push(chunk.slice());
    else this.chunks = [];
    return { points: [], problems: [] };
  }

  end(final: boolean): ParseOutput {
    const out: ParseOutput = { points: [], problems: [] };
    // Read once. A followed file is read as soon as it parses whole (scripts write it in one go; one
    // rewritten later is a new file to the follower, read again from the start by a fresh parser).
    if (this.done) return out;
    if (this.tooLarge) {
      if (!final) return out;
      this.done = true;
      out.problems.push(
        this.problem(`a JSON document of ${this.bytes} bytes, over ${MAX_DOCUMENT_BYTES}: not read`),
      );
      return out;
    }
    const text = new TextDecoder().decode(Buffer.concat(this.chunks));
    const parsed = parseJsonValue(text);
    if (typeof parsed === "string") {
      if (final) out.problems.push(this.problem(parsed));
      return out;
    }
    this.done = true;
    const doc = parsed.value;
    if (Array.isArray(doc)) {
      this.shape = "records";
      const lines = doc.map((r) =>
        JSON.stringify(r, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)),
      );
      return this.records.push(new TextEncoder().encode(`${lines.join("\n")}\n`));
    }
    if (doc !== null && typeof doc === "object") {
      this.shape = "columns";
      columns("", doc as Record<string, unknown>, out.points);
      return out;
    }
    out.problems.push(this.problem("the JSON document is neither a list of records nor an object of lists"));
    return out;
  }

  meta(): RunHints {
    if (this.shape === "records") return this.records.meta();
    return {
      notes:
        this.shape === "columns" ? ["an object of lists: each list a series, its positions the steps"] : [],
    };
  }

  private problem(message: string): ReadProblem {
    return { path: this.path, message, fatal: true };
  }
}

/** Lists of numbers under their keys (nested objects flattened with `/`), their positions the steps. */
function columns(prefix: string, doc: Record<string, unknown>, points: ScalarPoint[]): void {
  for (const [key, value] of Object.entries(doc)) {
    const sourceTag = prefix === "" ? key : `${prefix}/${key}`;
    if (Array.isArray(value)) {
      const tag = canonicalTag(sourceTag);
      value.forEach((v, step) => {
        const n = numberOf(v);
        if (n !== undefined) points.push({ tag, sourceTag, step, value: n, segment: 0 });
      });
    } else if (value !== null && typeof value === "object")
      columns(sourceTag, value as Record<string, unknown>, points);
  }
}
