/**
 * Checkpoint-save lines, in the shapes the trainers write:
 *
 * - `Saving model and optimizer state at epoch 5 to ./logs\X\G_680.pth` (RVC, root logger) and
 *   `... at iteration 1 to ./logs/32k/G_0.pth` (VITS / so-vits-svc): `utils.save_checkpoint` is called
 *   with the epoch, whatever the message calls it; the Paddle port translates it:
 *   `保存模型和优化器状态位于迭代次数1 到 ./logs/44k/G_0.pdparams`. The number before `to` / `到` is the
 *   epoch and `G_<step>` in the file name the global step, except RVC's "save latest only" name
 *   `G_2333333.pth` and Applio 2023's best-so-far `G_9999999.pth`, which are fixed placeholders.
 *   Only the generator's file is recorded; the `D_` twin line adds nothing.
 * - `saving ckpt name_e5:Success.` (RVC's small weights file) and RVC `main`'s translation
 *   `正在保存检查点 name_e5：Success.`: the epoch is after `_e`.
 * - Applio 3.x: `Saved model '...\Prueba1_1e_40s_best_epoch.pth' (epoch 1 and step 40)`.
 *
 * Lines that load or delete checkpoints (`Loaded checkpoint`, `.. Free up space by deleting ckpt`) are
 * not saves: a line must say it saves (`sav…`, `保存`).
 */

export interface CheckpointSave {
  epoch?: number;
  step?: number;
  file?: string;
}

const SAVES = /sav(?:e|ed|ing)\b|保存/i;
const STATE_TO_FILE = /(\d+)\s*(?:to|到)\s*(\S*?([GD])_(\d+)\.\w+)\s*$/;
const WEIGHTS_LABEL = /\S_e(\d+)[:：]/;
const APPLIO_SAVED = /^Saved model '(.+)' \(epoch (\d+) and step (\d+)\)/;
const PLACEHOLDER_STEPS = new Set([2333333, 9999999]);

export function parseCheckpointSave(message: string): CheckpointSave | undefined {
  if (!SAVES.test(message)) return undefined;
  const applio = APPLIO_SAVED.exec(message);
  if (applio) return { epoch: Number(applio[2]), step: Number(applio[3]), file: baseName(applio[1]) };
  const state = STATE_TO_FILE.exec(message);
  if (state) {
    if (state[3] !== "G") return undefined;
    const step = Number(state[4]);
    const save: CheckpointSave = { epoch: Number(state[1]), file: baseName(state[2]) };
    if (!PLACEHOLDER_STEPS.has(step)) save.step = step;
    return save;
  }
  const weights = WEIGHTS_LABEL.exec(message);
  if (weights) return { epoch: Number(weights[1]) };
  return undefined;
}

/** The file name without its directory: logs mix `/` and `\` (Windows runs), and paths are private. */
function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}
