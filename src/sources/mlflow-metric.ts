/**
 * One metric of an MLflow file store run: `mlruns/<experiment>/<run>/metrics/<key>`, one line per logged
 * value, `<timestamp ms> <value> <step>` (MLflow before 1.0 wrote `<timestamp> <value>` without the step:
 * the line order is then the step). The metric's key is the file's path under `metrics/` (a key with `/`
 * is a folder there), mapped to its canonical tag like any other name. Discovery (discover.ts) makes a
 * run of a directory holding `meta.yaml` and `metrics/`.
 */
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import { parseLogNumber, toWallSeconds } from "./number-text.ts";
import type { ParseOutput, RunHints } from "./parser.ts";
import { SegmentCounter } from "./segments.ts";
import { canonicalTag } from "./tag-map.ts";

export class MlflowMetricParser extends LineStreamParser {
  readonly format = "mlflow-metric";
  /** A file holds one metric: its lines are not whole steps. */
  protected override readonly lineIsStep = false;
  private readonly key: string;
  private readonly tag: string;
  private rows = 0;
  private withoutStep = 0;
  private readonly segments = new SegmentCounter();

  constructor(path: string) {
    super(path);
    this.key = metricKey(path);
    this.tag = canonicalTag(this.key);
  }

  meta(): RunHints {
    const notes: string[] = [];
    if (this.withoutStep > 0)
      notes.push(`${this.key}: ${this.withoutStep} value(s) without a step, numbered in order`);
    return { notes };
  }

  protected readLine({ text, line }: TextLine, out: ParseOutput): void {
    const fields = text.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === "") return;
    const [time, raw, rawStep] = fields.map(parseLogNumber);
    if (fields.length < 2 || fields.length > 3 || time === undefined || raw === undefined) {
      out.problems.push(
        this.problem(line, `not an MLflow metric line ('timestamp value step'): ${text.slice(0, 80)}`),
      );
      return;
    }
    let step = rawStep;
    if (step === undefined) {
      step = this.rows;
      this.withoutStep++;
    }
    this.rows++;
    const wallTime = toWallSeconds(time);
    out.points.push({
      tag: this.tag,
      sourceTag: this.key,
      step,
      value: raw,
      segment: this.segments.observe(step),
      ...(wallTime !== undefined ? { wallTime } : {}),
    });
  }
}

/** `.../metrics/loss/d` -> `loss/d`; a file outside a metrics folder is named by its base name. */
export function metricKey(path: string): string {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf("metrics");
  return at >= 0 && at < parts.length - 1 ? parts.slice(at + 1).join("/") : (parts.at(-1) ?? path);
}
