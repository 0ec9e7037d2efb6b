import type { ScalarPoint } from "../types.ts";
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import { NUMBER_PATTERN, parseLogNumber } from "./number-text.ts";
import type { ParseOutput, RunHints } from "./parser.ts";
import { SegmentCounter } from "./segments.ts";

/**
 * The console lines of the PyTorch DCGAN tutorial (and pytorch/examples' dcgan/main.py):
 *
 *   print('[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f'
 *         % (epoch, num_epochs, i, len(dataloader), errD, errG, D_x, D_G_z1, D_G_z2))
 *
 * (pytorch/examples separates with spaces, and copies of the output often turn the tabs into spaces.)
 * The step is `epoch * len(dataloader) + i`, the same count as the tutorial's `iters`; the epoch is
 * printed 0-based and kept as printed.
 *
 * D(G(z)) is printed twice. D_G_z1 is D's mean output on the fake batch inside the D step, before D's
 * optimizer moves: the same forward pass that gave Loss_D, so it is `d_fake`, consistent with `d_real`
 * (D(x)) and Loss_D. D_G_z2 comes from the G step, after D was updated and before G is: it is kept as
 * `d_fake_after_d_step`. The gap between them is how much one D step moved D's opinion of the fakes.
 */

const N = NUMBER_PATTERN;
const POSITION = /^\s*\[(\d+)\/(\d+)\]\s*\[(\d+)\/(\d+)\]/;
const LINE = new RegExp(
  String.raw`^\s*\[(\d+)\/(\d+)\]\s*\[(\d+)\/(\d+)\]\s*Loss_D:\s*(${N})\s+Loss_G:\s*(${N})\s+` +
    String.raw`D\(x\):\s*(${N})\s+D\(G\(z\)\):\s*(${N})\s*\/\s*(${N})\s*$`,
  "i",
);

const TAGS: [tag: string, sourceTag: string][] = [
  ["loss_disc", "Loss_D"],
  ["loss_gen", "Loss_G"],
  ["d_real", "D(x)"],
  ["d_fake", "D(G(z))"],
  ["d_fake_after_d_step", "D(G(z)) after the D step"],
];

/** True when a line is one of the tutorial's progress lines (format detection). */
export function isDcganLine(text: string): boolean {
  return LINE.test(text);
}

export class DcganConsoleParser extends LineStreamParser {
  readonly format = "dcgan-console";
  private readonly segments = new SegmentCounter();
  private batchesPerEpoch: number | undefined;
  private epochs: number | undefined;

  meta(): RunHints {
    const notes = [
      "step = epoch × batches per epoch + batch (the tutorial's iters); epochs are 0-based as printed",
    ];
    if (this.batchesPerEpoch !== undefined && this.epochs !== undefined) {
      notes.push(`${this.epochs} epochs of ${this.batchesPerEpoch} batches`);
    }
    if (this.segments.resumes > 0) notes.push(`the step counter went back ${this.segments.resumes} time(s)`);
    return { lossFamily: "bce", notes };
  }

  protected readLine({ text, line }: TextLine, out: ParseOutput): void {
    const m = LINE.exec(text);
    if (!m) {
      if (POSITION.test(text))
        out.problems.push(
          this.problem(line, "damaged DCGAN line: [epoch/N][batch/M] without readable losses"),
        );
      return;
    }
    const [epoch, epochs, batch, batches] = [1, 2, 3, 4].map((i) => Number(m[i]));
    const values = [5, 6, 7, 8, 9].map((i) => parseLogNumber(m[i])!);
    this.epochs = epochs;
    this.batchesPerEpoch = batches;
    const step = epoch * batches + batch;
    const segment = this.segments.observe(step);
    TAGS.forEach(([tag, sourceTag], k) => {
      const point: ScalarPoint = { tag, sourceTag, step, value: values[k], epoch, segment };
      out.points.push(point);
    });
  }
}
