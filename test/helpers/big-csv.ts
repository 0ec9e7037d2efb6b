/**
 * A CSV of `n` steps of two noisy losses around the BCE equilibrium: the million-point run that the
 * browser test (what the page shows) and bench/dashboard-first-paint.ts (how fast) both load.
 */
import { createWriteStream } from "node:fs";

export async function writeBigCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write("step,loss_disc,loss_gen\n");
  let chunk = "";
  for (let i = 1; i <= n; i++) {
    const disc = 2 * Math.LN2 + 0.2 * Math.sin(i / 5000) + 0.05 * Math.sin(i * 12.9898);
    const gen = Math.LN2 + 0.1 * Math.cos(i / 7000) + 0.05 * Math.sin(i * 78.233);
    chunk += `${i},${disc.toFixed(4)},${gen.toFixed(4)}\n`;
    if (chunk.length > 1 << 20) {
      out.write(chunk);
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
