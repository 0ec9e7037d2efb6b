/**
 * The 2D panel: D's output over the data's box as a heat map (green where D says "real", purple where
 * it says "generated", white where it cannot tell), the real samples and the generated ones on top,
 * as GAN Lab draws it.
 */

/**
 * @typedef {{ step: number, box: { xMin: number, xMax: number, yMin: number, yMax: number },
 *   real: unknown[], fake: unknown[], source: string, reject?: number,
 *   grid: { nx: number, ny: number, values: unknown[], kind: "probability" | "score" } }} Panel
 */

const REAL = [46, 125, 50];
const FAKE = [106, 27, 154];

/**
 * @param {HTMLCanvasElement} canvas
 * @param {Panel} panel
 * @param {string | undefined} lossFamily
 */
export function drawPanel(canvas, panel, lossFamily) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const { nx, ny } = panel.grid;
  const values = panel.grid.values.map((v) => (typeof v === "number" ? v : Number.NaN));
  const t = toUnit(values, panel.grid.kind, lossFamily);
  const image = new ImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      // Row j of the grid is y = yMin + ...; the image's row 0 is the top (yMax).
      const k = 4 * ((ny - 1 - j) * nx + i);
      const u = t[j * nx + i];
      const [r, g, b] = Number.isFinite(u) ? mix(u) : [200, 200, 200];
      image.data[k] = r;
      image.data[k + 1] = g;
      image.data[k + 2] = b;
      image.data[k + 3] = 255;
    }
  }
  const cell = document.createElement("canvas");
  cell.width = nx;
  cell.height = ny;
  /** @type {CanvasRenderingContext2D} */ (cell.getContext("2d")).putImageData(image, 0, 0);
  const w = canvas.width;
  const h = canvas.height;
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, w, h);
  ctx.drawImage(cell, 0, 0, w, h);
  const { xMin, xMax, yMin, yMax } = panel.box;
  const px = (/** @type {number} */ x) => ((x - xMin) / (xMax - xMin)) * w;
  const py = (/** @type {number} */ y) => h - ((y - yMin) / (yMax - yMin)) * h;
  dots(ctx, panel.real, px, py, `rgb(${REAL})`, "#fff");
  dots(ctx, panel.fake, px, py, `rgb(${FAKE})`, "#fff");
}

/**
 * D's outputs mapped to [0, 1] (1: "real"): probabilities as they are, least-squares scores clamped
 * (their targets are 1 and 0), other scores around 0 by their largest magnitude.
 * @param {number[]} values
 * @param {string} kind
 * @param {string | undefined} family
 */
function toUnit(values, kind, family) {
  if (kind === "probability" || family === "lsgan") return values.map((v) => Math.max(0, Math.min(1, v)));
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return values.map((v) => (m > 0 ? 0.5 + (0.5 * v) / m : 0.5));
}

/** White at 0.5, the real colour towards 1, the generated colour towards 0. @param {number} u */
function mix(u) {
  const target = u >= 0.5 ? REAL : FAKE;
  const a = Math.min(1, Math.abs(u - 0.5) * 2) * 0.55;
  return target.map((c) => Math.round(255 + (c - 255) * a));
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {unknown[]} xy
 * @param {(x: number) => number} px
 * @param {(y: number) => number} py
 * @param {string} fill
 * @param {string} stroke
 */
function dots(ctx, xy, px, py, fill, stroke) {
  ctx.fillStyle = fill;
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 0.8;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i];
    const y = xy[i + 1];
    if (typeof x !== "number" || typeof y !== "number") continue;
    ctx.beginPath();
    ctx.arc(px(x), py(y), 2.6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
