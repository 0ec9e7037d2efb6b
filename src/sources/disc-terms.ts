/**
 * D's loss from its terms. Many trainers log only D's loss on real and on fake batches (pix2pix's
 * `D_real` / `D_fake`, StarGAN's `D/loss_real` / `D/loss_fake`, `d1=… d2=…`). Their sum is the loss of
 * DESIGN.md's formula, -E[log D(x)] - E[log(1 - D(G(z)))] for BCE (pix2pix halves it before its update;
 * that halving is not what it logs), so a row with both terms and no total also gets `loss_disc`,
 * named `<real>+<fake>` so it is never mistaken for a logged total. Per game, for logs of several.
 */
import type { ScalarPoint } from "../types.ts";
import { gameTag, splitGameTag } from "./console/games.ts";

/** Adds `loss_disc` = real + fake to the row `points[from..]` where a game has both terms and no total. */
export function addDiscSum(points: ScalarPoint[], from: number): void {
  const games = new Map<string, { real?: ScalarPoint; fake?: ScalarPoint; total: boolean }>();
  for (let i = from; i < points.length; i++) {
    const [tag, game] = splitGameTag(points[i].tag);
    const g = games.get(game) ?? { total: false };
    if (tag === "loss_disc") g.total = true;
    else if (tag === "loss_disc_real") g.real ??= points[i];
    else if (tag === "loss_disc_fake") g.fake ??= points[i];
    games.set(game, g);
  }
  for (const [game, { real, fake, total }] of games) {
    if (total || !real || !fake) continue;
    points.push({
      ...real,
      tag: gameTag("loss_disc", game),
      sourceTag: `${real.sourceTag}+${fake.sourceTag}`,
      value: real.value + fake.value,
    });
  }
}
