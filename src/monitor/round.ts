/** Three decimals: enough for a number in a sentence or the JSON report, and the same on every run. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
