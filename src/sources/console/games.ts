/**
 * Several games in one log. CycleGAN trains two GANs at once (D_A against G_A, D_B against G_B); each is
 * its own game, judged apart and named in the report; a W&B export holds one game per run exported. A
 * reader tags a game's points `<tag>#game=<game>` (`loss_disc#game=A`: a spelling no logged tag has);
 * `splitGames` turns a run whose series carry games into one run per game, named `<run>#<game>`, with
 * the plain tags the monitor knows. A run of one game is left as it is.
 */
import type { Run } from "../run-builder.ts";

const MARK = "#game=";
/** Between a run's id and its game's name. */
const SEPARATOR = "#";

export function gameTag(tag: string, game: string): string {
  return game === "" ? tag : `${tag}${MARK}${game}`;
}

/** The tag and game of a series tag (`loss_disc#game=A` -> ["loss_disc", "A"]; a plain tag has game ""). */
export function splitGameTag(tag: string): [tag: string, game: string] {
  const i = tag.lastIndexOf(MARK);
  return i > 0 ? [tag.slice(0, i), tag.slice(i + MARK.length)] : [tag, ""];
}

/** One run per game; series without a game (timings, shared terms) go with every game. */
export function splitGames(run: Run): Run[] {
  const games = new Set(run.series.map((s) => splitGameTag(s.tag)[1]).filter((g) => g !== ""));
  if (games.size === 0) return [run];
  return [...games].sort().map((game) => ({
    ...run,
    id: `${run.id}${SEPARATOR}${game}`,
    hints: { ...run.hints, notes: [...(run.hints.notes ?? []), `game ${game} of ${games.size} in this log`] },
    series: run.series
      .filter((s) => {
        const g = splitGameTag(s.tag)[1];
        return g === "" || g === game;
      })
      .map((s) => ({ ...s, tag: splitGameTag(s.tag)[0] })),
  }));
}

/**
 * CycleGAN in the paper's letters (keras-io's example): G maps X to Y and is judged by D_Y, F maps Y to X
 * and is judged by D_X. On a line whose D losses are games X and Y, G's loss is game Y's.
 */
export function cycleGame(tag: string, game: string, games: Set<string>): [string, string] {
  return game === "" && tag === "loss_gen" && games.has("X") && games.has("Y") ? [tag, "Y"] : [tag, game];
}

/** A key the table does not know: its own name, in a game when it ends in one of the line's games. */
export function unknownKeyTag(key: string, games: Set<string>): [string, string] {
  if (/^F([_\s-]loss)?$/i.test(key) && games.has("X") && games.has("Y")) return ["loss_gen", "X"];
  const m = key.match(/^(.+?)[_\s-]([A-Za-z])$/);
  if (m && games.has(m[2].toUpperCase())) return [m[1], m[2].toUpperCase()];
  return [key, ""];
}
