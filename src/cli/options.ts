/**
 * Parsers for flag values. Each throws commander's InvalidArgumentError with what is allowed, which the
 * CLI's edge turns into one line and exit code 2.
 */
import { InvalidArgumentError } from "commander";

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a whole number >= 1.");
  }
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("expected a whole number >= 0.");
  }
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError("expected a positive number such as 1e-4 or 0.0002.");
  }
  return n;
}

export function unitInterval(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n < 1))
    throw new InvalidArgumentError("expected a number in [0, 1).");
  return n;
}

/** "128,128" -> [128, 128] */
export function widths(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 4096)) {
    throw new InvalidArgumentError("expected comma-separated layer widths between 1 and 4096, e.g. 128,128.");
  }
  return parts.map(Number);
}
