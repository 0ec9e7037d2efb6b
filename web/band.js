/**
 * The monitor's states as a coloured band under the loss curves, and the controller's adjustments as
 * flags above it. Both are DOM strips aligned with the chart's plot area (re-placed on every draw, so a
 * zoom moves them with the curves); hovering a piece shows its evidence or its reason.
 */

/** The states' colours, as the HTML report (src/report/html.ts) draws them. */
export const STATE_COLORS = {
  warmup: "#c8c8c8",
  balanced: "#4caf50",
  d_dominant: "#e53935",
  g_dominant: "#fb8c00",
  collapse_suspected: "#8e24aa",
  diverged: "#212121",
  oscillating: "#fdd835",
  stalled: "#1e88e5",
};

export const CONTROL_COLOR = "#00838f";

/**
 * @typedef {{ fromStep: number, toStep: number, state: string, stateText: string, text: string }} BandEntry
 * @typedef {{ step: number, text: string }} Flag
 */

export class StateBand {
  /** @param {HTMLElement} parent @param {string} label */
  constructor(parent, label) {
    this.el = document.createElement("div");
    this.el.className = "band-wrap";
    this.flags = document.createElement("div");
    this.flags.className = "control-row";
    this.band = document.createElement("div");
    this.band.className = "state-band";
    this.legend = document.createElement("div");
    this.legend.className = "band-legend";
    this.label = document.createElement("span");
    this.label.className = "band-label";
    this.label.textContent = label;
    this.el.append(this.flags, this.band, this.legend);
    this.legend.append(this.label);
    parent.append(this.el);
    /** @type {{ el: HTMLElement, from: number, to: number }[]} */
    this.pieces = [];
    /** @type {{ el: HTMLElement, x: number }[]} */
    this.flagPieces = [];
  }

  /**
   * @param {BandEntry[]} entries
   * @param {Flag[]} flags
   * @param {(step: number) => number} stepToX
   * @param {Record<string, string>} stateNames
   */
  render(entries, flags, stepToX, stateNames) {
    this.band.replaceChildren();
    this.flags.replaceChildren();
    this.pieces = [];
    this.flagPieces = [];
    for (const e of entries) {
      const el = document.createElement("div");
      el.className = "seg";
      el.dataset.state = e.state;
      el.dataset.text = e.text;
      el.style.background = STATE_COLORS[/** @type {keyof typeof STATE_COLORS} */ (e.state)] ?? "#999";
      this.band.append(el);
      this.pieces.push({ el, from: stepToX(e.fromStep), to: stepToX(e.toStep) });
    }
    for (const f of flags) {
      const el = document.createElement("div");
      el.className = "control-marker";
      el.dataset.text = f.text;
      this.flags.append(el);
      this.flagPieces.push({ el, x: stepToX(f.step) });
    }
    this.legend.replaceChildren(this.label);
    for (const state of new Set(entries.map((e) => e.state))) {
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = STATE_COLORS[/** @type {keyof typeof STATE_COLORS} */ (state)] ?? "#999";
      item.append(swatch, stateNames[state] ?? state);
      this.legend.append(item);
    }
  }

  /**
   * Aligns the strips with the plot area.
   * @param {{ left: number, width: number }} box
   * @param {(x: number) => number} toPx
   */
  place(box, toPx) {
    for (const strip of [this.band, this.flags]) {
      strip.style.marginLeft = `${box.left}px`;
      strip.style.width = `${box.width}px`;
    }
    const clamp = (/** @type {number} */ v) => Math.max(0, Math.min(box.width, v));
    for (const p of this.pieces) {
      const a = clamp(toPx(p.from));
      const b = clamp(toPx(p.to));
      const ok = Number.isFinite(a) && Number.isFinite(b) && b >= a;
      p.el.hidden = !ok;
      if (!ok) continue;
      p.el.style.left = `${a}px`;
      // A one-step entry still shows as a sliver.
      p.el.style.width = `${Math.max(2, b - a)}px`;
    }
    for (const f of this.flagPieces) {
      const x = toPx(f.x);
      f.el.hidden = !(Number.isFinite(x) && x >= 0 && x <= box.width);
      f.el.style.left = `${x - 5}px`;
    }
  }

  destroy() {
    this.el.remove();
  }
}

/**
 * One tooltip for the page: hovering any element with data-text inside `root` shows the text.
 * @param {HTMLElement} root
 * @param {HTMLElement} tip
 */
export function attachTooltip(root, tip) {
  root.addEventListener("mousemove", (e) => {
    const target = /** @type {HTMLElement | null} */ (
      e.target instanceof HTMLElement ? e.target.closest("[data-text]") : null
    );
    if (!target || !root.contains(target)) {
      tip.hidden = true;
      return;
    }
    tip.textContent = target.dataset.text ?? "";
    tip.hidden = false;
    tip.style.left = `${Math.min(e.pageX + 12, window.scrollX + window.innerWidth - tip.offsetWidth - 8)}px`;
    tip.style.top = `${e.pageY + 14}px`;
  });
  root.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });
}
