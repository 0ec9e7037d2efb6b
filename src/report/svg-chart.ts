/**
 * A line chart as an SVG string, from the monitor's bucketed curves: each series drawn as its
 * min–max band and its smoothed line, horizontal reference lines (the equilibrium), a band of coloured
 * spans under the plot (the monitor's states) and markers for alerts. No script: hovering a span or a
 * marker shows its <title>, which every browser renders as a tooltip. Pure string building, no DOM.
 */
import type { CurveBucket } from "../monitor/curve.ts";

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
  width?: number;
  height?: number;
  /** Carry its own styles and a white background, for use as a figure file outside a page. */
  standalone?: boolean;
}

/** The chart's styles; a page embeds them once, a standalone figure carries them itself. */
export const CHART_CSS = `.chart-title { font: 600 13px system-ui, sans-serif; } .tick { font: 11px system-ui, sans-serif; fill: #555; }
.grid { stroke: #eee; } .frame { fill: none; stroke: #bbb; } .band { opacity: 0.18; stroke: none; }
.line { fill: none; stroke-width: 1.6; } .ref { stroke-dasharray: 6 4; stroke-width: 1.2; }
.ref-label { font: 11px system-ui, sans-serif; } .marker { stroke-width: 1; opacity: 0.6; }`;

const PAD = { left: 56, right: 12, top: 22, bottom: 34 };
const BAND_HEIGHT = 10;

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
  // axes and ticks
  for (const t of ticks(y0, y1, 5)) {
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${f(sy(t))}" y2="${f(sy(t))}" class="grid"/>`,
    );
    out.push(
      `<text x="${PAD.left - 6}" y="${f(sy(t) + 4)}" class="tick" text-anchor="end">${fmtTick(t)}</text>`,
    );
  }
  for (const t of ticks(x0, x1, 8)) {
    const x = f(sx(t));
    out.push(`<text x="${x}" y="${height - 6}" class="tick" text-anchor="middle">${fmtTick(t)}</text>`);
  }
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" class="frame"/>`);
  for (const line of spec.lines ?? []) {
    if (!Number.isFinite(line.y) || line.y < y0 || line.y > y1) continue;
    const y = f(sy(line.y));
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="${line.color}" class="ref"><title>${esc(line.label)}</title></line>`,
    );
    out.push(
      `<text x="${PAD.left + plotW - 4}" y="${f(Number(y) - 3)}" class="ref-label" fill="${line.color}" text-anchor="end">${esc(line.label)}</text>`,
    );
  }
  for (const s of spec.series) {
    const finite = s.buckets.filter((b) => b.count > 0);
    if (finite.length === 0) continue;
    const mid = (b: CurveBucket) => (b.fromStep + b.toStep) / 2;
    const band = [
      ...finite.map((b) => `${f(sx(mid(b)))},${f(sy(b.max))}`),
      ...[...finite].reverse().map((b) => `${f(sx(mid(b)))},${f(sy(b.min))}`),
    ].join(" ");
    out.push(`<polygon points="${band}" fill="${s.color}" class="band"/>`);
    const line = finite
      .map((b) => `${f(sx(mid(b)))},${f(sy(Number.isFinite(b.smoothed) ? b.smoothed : b.mean))}`)
      .join(" ");
    out.push(
      `<polyline points="${line}" stroke="${s.color}" class="line"><title>${esc(s.label)}</title></polyline>`,
    );
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
    const x = f(sx(clamp(m.x, x0, x1)));
    out.push(
      `<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${m.color}" class="marker"><title>${esc(m.title)}</title></line>`,
    );
  }
  // legend
  let lx = PAD.left + 20 + 7.5 * spec.title.length; // after the title, which is bold 13px
  for (const s of spec.series) {
    out.push(
      `<rect x="${lx}" y="6" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="15" class="tick">${esc(s.label)}</text>`,
    );
    lx += 24 + 7 * s.label.length;
  }
  out.push("</svg>");
  return out.join("\n");
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
  const pad = (hi - lo || 1) * 0.05;
  return [lo - pad, hi + pad];
}

function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

function fmtTick(t: number): string {
  const a = Math.abs(t);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return t.toExponential(1);
  return String(Number(t.toPrecision(4)));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const f = (v: number) => v.toFixed(1);

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
