/**
 * The samples view: the images and audio a run's event files log, beside the verdict, to choose an
 * epoch by looking and listening. One card per image or audio tag; in each, two panes side by side, each
 * with a step slider that stops only at logged steps, the candidate epochs (◆) and the latest step (▲)
 * marked under it. The left pane starts at the first candidate, the right one at the latest step, or at
 * the tag's ground truth (`gt/…`, `…mel_org`) when the tag was logged once; the right pane can show any
 * tag of the same kind. Images are shown at their real size (1×) and zoom; audio plays in the page.
 *
 * Nothing heavy loads before it is seen: the index (tags, steps, sizes) is fetched when a run with
 * samples is shown, and a card's images and clips only once the card scrolls into view.
 *
 * This file is the view: the index, each card's state (kept across reloads) and what is in sight; a
 * card's controls are in sample-controls.js, its images and clips in sample-media.js.
 */

/**
 * @typedef {{ step: number, bytes: number, contentType: string, width?: number, height?: number,
 *   sampleRate?: number, channels?: number, frames?: number, label?: string }} EntryView
 * @typedef {{ tag: string, kind: "image" | "audio", steps: number[], entries: EntryView[], pair?: string }} TrackView
 * @typedef {{ step: number, epoch?: number, text: string }} Candidate
 * @typedef {{ tag: string, at: number }} PaneState  the tag shown and the index of its step
 * @typedef {{ a: PaneState, b: PaneState, zoom: number, shown: boolean }} CardState
 */

import { nearest } from "./nearest-step.js";
import { pane, zoomControl } from "./sample-controls.js";
import { fillMedia } from "./sample-media.js";

export { nearest } from "./nearest-step.js";

export class SamplesView {
  /**
   * @param {HTMLElement} box the section shown or hidden with the view
   * @param {HTMLElement} list where the cards go
   */
  constructor(box, list) {
    this.box = box;
    this.list = list;
    /** @type {string | undefined} */
    this.key = undefined;
    /** @type {TrackView[]} */
    this.tracks = [];
    /** @type {Candidate[]} */
    this.candidates = [];
    /** @type {number | undefined} */
    this.latest = undefined;
    /** @type {Map<string, CardState>} per tag, kept across reloads of the index */
    this.cards = new Map();
    /** @type {import("./i18n.js").STRINGS["en"] | undefined} */
    this.strings = undefined;
    this.loading = 0;
    this.observer = new IntersectionObserver((seen) => this.onSeen(seen), { rootMargin: "200px" });
  }

  /**
   * Shows run `key`'s samples (or hides the view when it has none). `count`: the samples the run
   * logs, from its RunInfo.
   * @param {string} key @param {number} count
   */
  async show(key, count) {
    const other = key !== this.key;
    this.key = key;
    if (other) {
      this.tracks = [];
      this.cards.clear();
      this.list.replaceChildren();
    }
    this.box.hidden = count === 0;
    if (count === 0) return;
    await this.reload();
  }

  /** Fetches the index again (the run logged more samples, or was read again), keeping each card's place. */
  async reload() {
    const key = this.key;
    if (key === undefined) return;
    const ticket = ++this.loading;
    const res = await fetch(`/api/runs/${encodeURIComponent(key)}/samples`, { cache: "no-store" });
    if (!res.ok || ticket !== this.loading || key !== this.key) return;
    /** @type {{ tracks: TrackView[] }} */
    const view = await res.json();
    // A pane that showed a tag's latest step goes on showing its latest as the run logs more.
    const atLast = new Set();
    for (const [tag, st] of this.cards) {
      for (const side of /** @type {const} */ (["a", "b"])) {
        const t = this.tracks.find((x) => x.tag === st[side].tag);
        if (t && st[side].at === t.steps.length - 1) atLast.add(`${tag}\u0000${side}`);
      }
    }
    this.tracks = view.tracks;
    for (const [tag, st] of this.cards) {
      for (const side of /** @type {const} */ (["a", "b"])) {
        const t = this.tracks.find((x) => x.tag === st[side].tag);
        const last = (t?.steps.length ?? 1) - 1;
        if (atLast.has(`${tag}\u0000${side}`) || st[side].at > last) st[side].at = last;
      }
    }
    this.box.hidden = this.tracks.length === 0;
    this.render();
  }

  /**
   * The monitor's candidate epochs and latest step (from its report), and the page's words.
   * @param {Candidate[]} candidates @param {number | undefined} latest
   * @param {import("./i18n.js").STRINGS["en"]} strings
   */
  setContext(candidates, latest, strings) {
    // Drawn again only when what the marks say changed: a report arrives with every step of a live
    // run, and drawing again would stop a clip being listened to.
    const same = strings === this.strings && JSON.stringify(candidates) === JSON.stringify(this.candidates);
    this.candidates = candidates;
    this.latest = latest;
    this.strings = strings;
    if (!same && this.tracks.length > 0) this.render();
  }

  /** The run's latest step: the monitor's, else the last logged sample's. */
  latestStep() {
    if (this.latest !== undefined) return this.latest;
    let last = Number.NEGATIVE_INFINITY;
    for (const t of this.tracks) last = Math.max(last, t.steps[t.steps.length - 1]);
    return last;
  }

  render() {
    const s = this.strings;
    if (!s) return;
    this.observer.disconnect();
    const intro = /** @type {HTMLElement} */ (this.box.querySelector(".samples-intro"));
    intro.textContent = s.samplesIntro(this.tracks.length, this.candidates.length);
    const cards = this.tracks.map((track) => this.card(track, s));
    this.list.replaceChildren(...cards);
    for (const c of cards) this.observer.observe(c);
  }

  /** @param {string} tag @param {string} [kind] */
  track(tag, kind) {
    return this.tracks.find((t) => t.tag === tag && (kind === undefined || t.kind === kind));
  }

  /** A card's state, made on first sight of its tag. @param {TrackView} track */
  state(track) {
    let st = this.cards.get(track.tag);
    if (st) return st;
    const first = this.candidates[0];
    const a = first === undefined ? 0 : nearest(track.steps, first.step);
    /** @type {PaneState} */
    let b = { tag: track.tag, at: track.steps.length - 1 };
    const pair = track.pair ? this.track(track.pair, track.kind) : undefined;
    if (track.steps.length === 1 && pair) b = { tag: pair.tag, at: nearest(pair.steps, track.steps[a]) };
    st = { a: { tag: track.tag, at: a }, b, zoom: 1, shown: false };
    this.cards.set(track.tag, st);
    return st;
  }

  /** @param {TrackView} track @param {import("./i18n.js").STRINGS["en"]} s */
  card(track, s) {
    const st = this.state(track);
    const card = document.createElement("article");
    card.className = "sample-card";
    card.dataset.tag = track.tag;
    card.dataset.kind = track.kind;
    const head = document.createElement("div");
    head.className = "sample-head";
    const name = document.createElement("b");
    name.textContent = track.tag;
    const about = document.createElement("small");
    about.className = "sample-about";
    about.textContent = s.samplesAbout(track.kind, track.entries.length, track.steps);
    head.append(name, " ", about);
    if (track.kind === "image") head.append(zoomControl(this, track, st, s));
    const pair = document.createElement("div");
    pair.className = "sample-pair";
    pair.append(pane(this, track, st, "a", s), pane(this, track, st, "b", s));
    card.append(head, pair);
    return card;
  }

  /** Draws one card again in place (the zoom or the compared tag changed). @param {TrackView} track */
  rerender(track) {
    const old = this.list.querySelector(`article[data-tag="${CSS.escape(track.tag)}"]`);
    const s = this.strings;
    if (!old || !s) return;
    const fresh = this.card(track, s);
    old.replaceWith(fresh);
    this.observer.observe(fresh);
    if (this.cards.get(track.tag)?.shown) this.fill(fresh);
  }

  /** @param {IntersectionObserverEntry[]} seen */
  onSeen(seen) {
    for (const e of seen) {
      if (!e.isIntersecting) continue;
      const card = /** @type {HTMLElement} */ (e.target);
      this.observer.unobserve(card);
      const st = this.cards.get(card.dataset.tag ?? "");
      if (st) st.shown = true;
      this.fill(card);
    }
  }

  /** Puts a card's images and clips in its panes: only now are their bytes asked for. @param {HTMLElement} card */
  fill(card) {
    const st = this.cards.get(card.dataset.tag ?? "");
    const kind = /** @type {"image" | "audio"} */ (card.dataset.kind);
    if (!st) return;
    for (const media of card.querySelectorAll(".sample-media")) {
      const box = /** @type {HTMLElement} */ (media);
      const track = this.track(box.dataset.tag ?? "", kind);
      if (track && box.childElementCount === 0) this.fillMedia(box, track, st.zoom);
    }
  }

  /**
   * The images or clips of `track` at the step `box` names (a few at most).
   * @param {HTMLElement} box @param {TrackView} track @param {number} zoom
   */
  fillMedia(box, track, zoom) {
    const key = this.key;
    const s = this.strings;
    if (key === undefined || !s) return;
    fillMedia(box, key, track, zoom, s);
  }
}
