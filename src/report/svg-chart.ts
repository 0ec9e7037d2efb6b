/**
 * A line chart as an SVG string, from the monitor's bucketed curves: each series drawn as its
 * min–max band and its smoothed line, horizontal reference lines (the equilibrium), a band of coloured
 * spans under the plot (the monitor's states) and markers for alerts. No script: hovering a span or a
 * marker shows its <title>, which every browser renders as a tooltip. Pure string building, no DOM.
 */

// The axes' rules and the labels' placement are the dashboard's own modules (plain JS, run by the
// page as they are): a chart reads the same in the HTML report and on the live page.
import { niceTicks, tickLabels, yRange } from "../../web/axis.js";
import { type Polyline, placeLabels } from "../../web/label-placement.js";
import type { CurveBucket } from "../monitor/signals/curve.ts";

export interface ChartSeries {
  label: string;
  color: string;
  buckets: CurveBucket[];
}

export interface ChartLine {
  y: number;
  label: string;
  color: string;
}

export interface ChartSpan {
  from: number;
  to: number;
  color: string;
  title: string;
}

export interface ChartMarker {
  x: number;
  color: string;
  title: string;
}

export interface ChartSpec {
  title: string;
  series: ChartSeries[];
  lines?: ChartLine[];
  spans?: ChartSpan[];
  markers?: ChartMarker[];
  /** The x axis's name ("step"), in the reader's language. */
  xTitle?: string;
  width?: number;
  height?: number;
  /** Carry its own styles and a white background, for use as a figure file outside a page. */
  standalone?: boolean;
}

/** The chart's styles; a page embeds them once, a standalone figure carries them itself. */
export const CHART_CSS = `.chart-title { font: 600 13px system-ui, sans-serif; } .tick { font: 11px system-ui, sans-serif; fill: #555; }
.grid { stroke: #eee; } .frame { fill: none; stroke: #bbb; } .band { opacity: 0.18; stroke: none; }
.line { fill: none; stroke-width: 1.6; } .ref { stroke-dasharray: 6 4; stroke-width: 1.2; }
.ref-label { font: 11px system-ui, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.marker { stroke-width: 1; opacity: 0.6; } .axis-title { font: italic 11px system-ui, sans-serif; fill: #555; }`;

const PAD = { left: 56, right: 12, top: 22, bottom: 34 };
const BAND_HEIGHT = 10;
const LABEL_PX = 11;

export function svgChart(spec: ChartSpec): string {
  const width = spec.width ?? 900;
  const height = spec.height ?? 260;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom - (spec.spans?.length ? BAND_HEIGHT + 4 : 0);
  const buckets = spec.series.flatMap((s) => s.buckets);
  if (buckets.length === 0) return "";
  const x0 = Math.min(...buckets.map((b) => b.fromStep));
  const x1 = Math.max(x0 + 1, ...buckets.map((b) => b.toStep));
  const [y0, y1] = yDomain(spec);
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => PAD.top + (1 - (clamp(y, y0, y1) - y0) / (y1 - y0)) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(spec.title)}">`,
  );
  if (spec.standalone)
    out.push(`<style>${CHART_CSS}</style><rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${PAD.left}" y="14" class="chart-title">${esc(spec.title)}</text>`);
  // axes and ticks: steps are whole numbers, so the x axis never gets a fractional tick
  const yTicks = niceTicks(y0, y1, 5);
  tickLabels(yTicks).forEach((label, i) => {
    const y = f(sy(yTicks[i]));
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" class="grid"/>`);
    out.push(
      `<text x="${PAD.left - 6}" y="${f(Number(y) + 4)}" class="tick" text-anchor="end">${label}</text>`,
    );
  });
  const xTicks = niceTicks(x0, x1, 8, true);
  tickLabels(xTicks).forEach((label, i) => {
    // A label at the right edge ends there instead of running off the picture.
    const x = sx(xTicks[i]);
    const end = x + textWidth(label, 11) / 2 > width - 2;
    out.push(
      `<text x="${f(end ? width - 2 : x)}" y="${height - 6}" class="tick" text-anchor="${end ? "end" : "middle"}">${label}</text>`,
    );
  });
  if (spec.xTitle)
    out.push(
      `<text x="${PAD.left - 10}" y="${height - 6}" class="axis-title" text-anchor="end">${esc(spec.xTitle)}</text>`,
    );
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" class="frame"/>`);
  const lines = (spec.lines ?? []).filter((l) => Number.isFinite(l.y));
  for (const line of lines) {
    const y = f(sy(line.y));
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="${line.color}" class="ref"><title>${esc(line.label)}</title></line>`,
    );
  }
  /** What the lines' labels must not cover: every curve, its band's edges, the other lines, the markers. */
  const drawn: Polyline[] = [];
  const polyline = (points: [number, number][]) =>
    drawn.push({ xs: points.map((p) => p[0]), ys: points.map((p) => p[1]) });
  for (const s of spec.series) {
    const finite = s.buckets.filter((b) => b.count > 0);
    if (finite.length === 0) continue;
    const mid = (b: CurveBucket) => (b.fromStep + b.toStep) / 2;
    const at = (b: CurveBucket, y: number): [number, number] => [sx(mid(b)), sy(y)];
    const line = finite.map((b) => at(b, Number.isFinite(b.smoothed) ? b.smoothed : b.mean));
    if (finite.length === 1) {
      // One logged point: a dot, not a line of no length.
      const [[x, y]] = line;
      out.push(
        `<circle cx="${f(x)}" cy="${f(y)}" r="3" fill="${s.color}"><title>${esc(s.label)}</title></circle>`,
      );
      polyline([
        [x - 3, y],
        [x + 3, y],
      ]);
      continue;
    }
    const upper = finite.map((b) => at(b, b.max));
    const lower = finite.map((b) => at(b, b.min));
    const pts = (ps: [number, number][]) => ps.map(([x, y]) => `${f(x)},${f(y)}`).join(" ");
    out.push(
      `<polygon points="${pts([...upper, ...[...lower].reverse()])}" fill="${s.color}" class="band"/>`,
    );
    out.push(
      `<polyline points="${pts(line)}" stroke="${s.color}" class="line"><title>${esc(s.label)}</title></polyline>`,
    );
    polyline(line);
    polyline(upper);
    polyline(lower);
  }
  const bandY = PAD.top + plotH + 4;
  for (const span of spec.spans ?? []) {
    const a = sx(Math.max(span.from, x0));
    const b = sx(Math.min(span.to, x1));
    out.push(
      `<rect x="${f(a)}" y="${bandY}" width="${f(Math.max(1, b - a))}" height="${BAND_HEIGHT}" fill="${span.color}"><title>${esc(span.title)}</title></rect>`,
    );
  }
  for (const m of spec.markers ?? []) {
    const x = sx(clamp(m.x, x0, x1));
    out.push(
      `<line x1="${f(x)}" x2="${f(x)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${m.color}" class="marker"><title>${esc(m.title)}</title></line>`,
    );
    polyline([
      [x, PAD.top],
      [x, PAD.top + plotH],
    ]);
  }
  // The lines' labels last, on top, each where the curves leave it readable.
  for (const line of lines) {
    polyline([
      [PAD.left, sy(line.y)],
      [PAD.left + plotW, sy(line.y)],
    ]);
  }
  const box = { left: PAD.left, top: PAD.top, width: plotW, height: plotH };
  const spots = placeLabels(
    box,
    lines.map((l) => ({ y: sy(l.y), width: textWidth(l.label, LABEL_PX), height: LABEL_PX + 2 })),
    drawn,
  );
  lines.forEach((line, i) => {
    const r = spots[i];
    out.push(
      `<text x="${f(r.x)}" y="${f(r.y + r.height - 3)}" class="ref-label" fill="${line.color}">${esc(line.label)}</text>`,
    );
  });
  // legend
  let lx = PAD.left + 20 + textWidth(spec.title, 13);
  for (const s of spec.series) {
    out.push(
      `<rect x="${f(lx)}" y="6" width="10" height="10" fill="${s.color}"/><text x="${f(lx + 14)}" y="15" class="tick">${esc(s.label)}</text>`,
    );
    lx += 24 + textWidth(s.label, 11);
  }
  out.push("</svg>");
  return out.join("\n");
}

/** True when some series has two finite buckets: a curve to draw, not a value or two to list. */
export function hasCurve(series: ChartSeries[]): boolean {
  return series.some((s) => s.buckets.filter((b) => b.count > 0).length >= 2);
}

/** About how wide `s` is in px at `px` font size: CJK characters are square, Latin ones about 0.6 em. */
export function textWidth(s: string, px: number): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? px : 0.6 * px;
  return w;
}

/**
 * The y range: the bucket means and the reference lines, widened to the bands only where that does not
 * let one spike (a NaN-adjacent explosion) flatten everything else to a line.
 */
function yDomain(spec: ChartSpec): [number, number] {
  const means = spec.series.flatMap((s) => s.buckets.filter((b) => b.count > 0).map((b) => b.mean));
  const lines = (spec.lines ?? []).map((l) => l.y).filter(Number.isFinite);
  const core = [...means, ...lines].filter(Number.isFinite);
  if (core.length === 0) return [0, 1];
  let lo = Math.min(...core);
  let hi = Math.max(...core);
  const span = hi - lo || Math.abs(hi) || 1;
  const mins = spec.series.flatMap((s) => s.buckets.filter((b) => b.count > 0).map((b) => b.min));
  const maxs = spec.series.flatMap((s) => s.buckets.filter((b) => b.count > 0).map((b) => b.max));
  lo = Math.max(Math.min(lo, ...mins.filter(Number.isFinite)), lo - span);
  hi = Math.min(Math.max(hi, ...maxs.filter(Number.isFinite)), hi + span);
  return yRange(lo, hi, lines);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const f = (v: number) => v.toFixed(1);

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
