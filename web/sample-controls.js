/**
 * The samples view's controls, inside a card: the zoom stops of an image card, and each pane's step
 * slider with its marks (◆ the candidate epochs, ▲ the latest step) and caption, and the right pane's
 * choice of what to compare (this tag at another step, its ground truth, another tag of its kind).
 * Apart from the view (samples.js), which keeps the index, the cards' state and what is in sight,
 * because these build the DOM of one card from that state and change it only through the view.
 */
import { nearest } from "./nearest-step.js";

/**
 * @typedef {import("./samples.js").SamplesView} SamplesView
 * @typedef {import("./samples.js").TrackView} TrackView
 * @typedef {import("./samples.js").CardState} CardState
 */

/** Zoom stops of the image panes: 0 fits the pane's width, the others are multiples of the real size. */
const ZOOMS = [0, 1, 2, 4];

/**
 * The zoom stops of an image card.
 * @param {SamplesView} view @param {TrackView} track @param {CardState} st
 * @param {import("./i18n.js").STRINGS["en"]} s
 */
export function zoomControl(view, track, st, s) {
  const span = document.createElement("span");
  span.className = "sample-zoom";
  span.append(`${s.samplesZoom} `);
  for (const z of ZOOMS) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "sample-zoom-stop";
    b.textContent = z === 0 ? s.samplesFit : `${z}×`;
    b.classList.toggle("active", st.zoom === z);
    b.addEventListener("click", () => {
      st.zoom = z;
      view.rerender(track);
    });
    span.append(b);
  }
  return span;
}

/**
 * One pane: what it compares (the right one), its slider with the marks, the step's caption, its media.
 * Moving the slider changes the caption at once and the media once it rests (a drag across fifty
 * steps does not fetch fifty images).
 * @param {SamplesView} view @param {TrackView} track @param {CardState} st @param {"a" | "b"} side
 * @param {import("./i18n.js").STRINGS["en"]} s
 */
export function pane(view, track, st, side, s) {
  const ps = st[side];
  const shown = view.track(ps.tag, track.kind) ?? track;
  const steps = shown.steps;
  const pane = document.createElement("div");
  pane.className = "sample-pane";
  pane.dataset.side = side;
  if (side === "b") pane.append(compareControl(view, track, st, s));
  else {
    // The same height as the right pane's choice, so the two sliders line up.
    const label = document.createElement("p");
    label.className = "sample-compare";
    label.textContent = s.samplesThisTag;
    pane.append(label);
  }
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(steps.length - 1);
  slider.step = "1";
  slider.value = String(ps.at);
  slider.disabled = steps.length < 2;
  slider.setAttribute("aria-label", s.samplesStepSlider(shown.tag));
  const caption = document.createElement("p");
  caption.className = "sample-step";
  const media = document.createElement("div");
  media.className = "sample-media";
  media.dataset.tag = shown.tag;
  let resting = 0;
  const update = (/** @type {boolean} */ now) => {
    const step = steps[ps.at];
    caption.dataset.step = String(step);
    const near = view.candidates.filter((c) => nearest(steps, c.step) === ps.at);
    caption.textContent = s.samplesStepCaption(
      shown.tag === track.tag ? undefined : shown.tag,
      step,
      near.map((c) => c.text),
      ps.at === steps.length - 1,
    );
    clearTimeout(resting);
    const refill = () => {
      media.dataset.step = String(step);
      media.replaceChildren();
      if (st.shown) view.fillMedia(media, shown, st.zoom);
    };
    if (now) refill();
    else resting = setTimeout(refill, 150);
  };
  slider.addEventListener("input", () => {
    ps.at = Number(slider.value);
    update(false);
  });
  const go = (/** @type {number} */ at) => {
    ps.at = at;
    slider.value = String(at);
    update(true);
  };
  pane.append(slider, marks(view, steps, go, s), caption, media);
  update(true);
  return pane;
}

/**
 * Marks under a slider: ◆ at the logged step nearest each candidate, ▲ at the latest; a click moves the
 * slider there. Positions are slider stops (logged steps), as the slider moves.
 * @param {SamplesView} view @param {number[]} steps @param {(at: number) => void} go
 * @param {import("./i18n.js").STRINGS["en"]} s
 */
function marks(view, steps, go, s) {
  const row = document.createElement("div");
  row.className = "sample-marks";
  const place = (/** @type {number} */ at) =>
    steps.length < 2
      ? "50%"
      : `calc(${(100 * at) / (steps.length - 1)}% + ${8 - (16 * at) / (steps.length - 1)}px)`;
  /** @param {number} at @param {string} cls @param {string} text */
  const mark = (at, cls, text) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `sample-mark ${cls}`;
    b.style.left = place(at);
    b.dataset.text = text;
    b.setAttribute("aria-label", text);
    b.addEventListener("click", () => go(at));
    row.append(b);
  };
  for (const c of view.candidates)
    mark(nearest(steps, c.step), "candidate", s.samplesCandidateMark(c.text, steps[nearest(steps, c.step)]));
  const latest = view.latestStep();
  if (Number.isFinite(latest))
    mark(nearest(steps, latest), "latest", s.samplesLatestMark(latest, steps[nearest(steps, latest)]));
  return row;
}

/**
 * What the right pane shows: this tag at another step, its ground truth, or another tag of its kind.
 * @param {SamplesView} view @param {TrackView} track @param {CardState} st
 * @param {import("./i18n.js").STRINGS["en"]} s
 */
function compareControl(view, track, st, s) {
  const label = document.createElement("label");
  label.className = "sample-compare";
  const select = document.createElement("select");
  const add = (/** @type {string} */ tag, /** @type {string} */ text) => {
    const o = document.createElement("option");
    o.value = tag;
    o.textContent = text;
    select.append(o);
  };
  add(track.tag, s.samplesCompareSame);
  if (track.pair) add(track.pair, s.samplesCompareTruth(track.pair));
  for (const t of view.tracks) {
    if (t.kind === track.kind && t.tag !== track.tag && t.tag !== track.pair) add(t.tag, t.tag);
  }
  select.value = st.b.tag;
  select.addEventListener("change", () => {
    const other = view.track(select.value, track.kind);
    if (!other) return;
    const a = view.track(st.a.tag, track.kind) ?? track;
    st.b = { tag: other.tag, at: nearest(other.steps, a.steps[st.a.at]) };
    view.rerender(track);
  });
  label.append(`${s.samplesCompare} `, select);
  return label;
}
