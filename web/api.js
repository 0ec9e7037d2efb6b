/**
 * The page's side of the server's API: the runs' columns as typed arrays (one binary response, read
 * in place: see src/server/binary-columns.ts), and the event stream. Numbers that JSON cannot carry
 * (NaN, Infinity: a diverged loss is data) arrive as text; `num` turns them back into numbers.
 */

/**
 * @typedef {{ key: string, id: string, name: string, format: string, lossFamily?: string, discriminators?: number,
 *   panel: boolean, seq: number, samples?: number }} RunInfo
 * @typedef {{ tag: string, sourceTag: string, n: number, steps: Float64Array, values: Float64Array,
 *   wallTimes?: Float64Array, epochs?: Float64Array }} LoadedSeries
 * @typedef {{ seq: number, series: LoadedSeries[] }} LoadedColumns
 * @typedef {{ tag: string, sourceTag: string, steps: unknown[], values: unknown[], wallTimes?: unknown[], epochs?: unknown[] }} PointsGroup
 */

/** @param {string} key @returns {Promise<LoadedColumns>} */
export async function fetchColumns(key) {
  const res = await fetch(`/api/runs/${encodeURIComponent(key)}/columns`, { cache: "no-store" });
  if (!res.ok) throw new Error(`columns of ${key}: HTTP ${res.status}`);
  return decodeColumns(await res.arrayBuffer());
}

/** @param {ArrayBuffer} buffer @returns {LoadedColumns} */
export function decodeColumns(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== "NBC1") throw new Error("not a Nashboard columns response");
  const headerLength = view.getUint32(4, true);
  /** @type {{ seq: number, series: { tag: string, sourceTag: string, n: number, columns: string[] }[] }} */
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  let at = 8 + headerLength;
  at += (8 - (at % 8)) % 8;
  const series = header.series.map((s) => {
    /** @type {Record<string, Float64Array>} */
    const cols = {};
    for (const name of s.columns) {
      cols[name] = new Float64Array(buffer, at, s.n);
      at += 8 * s.n;
    }
    /** @type {LoadedSeries} */
    const out = { tag: s.tag, sourceTag: s.sourceTag, n: s.n, steps: cols.steps, values: cols.values };
    if (cols.wallTimes) out.wallTimes = cols.wallTimes;
    if (cols.epochs) out.epochs = cols.epochs;
    return out;
  });
  return { seq: header.seq, series };
}

/** @param {string} key @param {string} what @param {string} [lang] */
export async function fetchJson(key, what, lang) {
  const q = lang ? `?lang=${lang}` : "";
  const res = await fetch(`/api/runs/${encodeURIComponent(key)}/${what}${q}`, { cache: "no-store" });
  if (res.status === 204) return undefined;
  if (!res.ok) throw new Error(`${what} of ${key}: HTTP ${res.status}`);
  return res.json();
}

/** A number sent as JSON: "NaN" / "Infinity" / "-Infinity" text and null become numbers again. */
export function num(/** @type {unknown} */ x) {
  if (typeof x === "number") return x;
  if (x === null || x === undefined) return Number.NaN;
  return Number(x);
}

/**
 * @typedef {{ onEvent: (type: string, data: any) => void, onState: (open: boolean) => void }} EventHandlers
 */

/**
 * Opens the event stream in `lang`. EventSource reconnects by itself; every (re)connection starts with a
 * `hello` holding the whole state, so nothing missed while away stays missing.
 * @param {string} lang
 * @param {EventHandlers} handlers
 */
export function openEvents(lang, handlers) {
  const source = new EventSource(`/api/events?lang=${lang}`);
  for (const type of ["hello", "run", "points", "reset", "report", "control", "panel", "samples"]) {
    source.addEventListener(type, (e) => {
      handlers.onEvent(type, JSON.parse(/** @type {MessageEvent} */ (e).data));
    });
  }
  // The server dropped this page for falling too far behind (a sleeping tab): the status line shows
  // "reconnecting" and the reload that follows; the server's sentence, in this language, says why.
  source.addEventListener("dropped", (e) => {
    console.warn(JSON.parse(/** @type {MessageEvent} */ (e).data).reason);
  });
  source.onopen = () => handlers.onState(true);
  source.onerror = () => handlers.onState(false);
  return source;
}
