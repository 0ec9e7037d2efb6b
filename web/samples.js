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
 */

/**
 * @typedef {{ step: number, bytes: number, contentType: string, width?: number, height?: number,
 *   sampleRate?: number, channels?: number, frames?: number, label?: string }} EntryView
 * @typedef {{ tag: string, kind: "image" | "audio", steps: number[], entries: EntryView[], pair?: string }} TrackView
 * @typedef {{ step: number, epoch?: number, text: string }} Candidate
 * @typedef {{ tag: string, at: number }} PaneState  the tag shown and the index of its step
 * @typedef {{ a: PaneState, b: PaneState, zoom: number, shown: boolean }} CardState
 */

/** Zoom stops of the image panes: 0 fits the pane's width, the others are multiples of the real size. */
const ZOOMS = [0, 1, 2, 4];
/** Images or clips shown at most per step of one pane (a TF2 value may hold a batch). */
const PER_STEP = 4;

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
    if (track.kind === "image") head.append(this.zoomControl(track, st, s));
    const pair = document.createElement("div");
    pair.className = "sample-pair";
    pair.append(this.pane(track, st, "a", s), this.pane(track, st, "b", s));
    card.append(head, pair);
    return card;
  }

  /** @param {TrackView} track @param {CardState} st @param {import("./i18n.js").STRINGS["en"]} s */
  zoomControl(track, st, s) {
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
        this.rerender(track);
      });
      span.append(b);
    }
    return span;
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

  /**
   * One pane: what it compares (the right one), its slider with the marks, the step's caption, its media.
   * Moving the slider changes the caption at once and the media once it rests (a drag across fifty
   * steps does not fetch fifty images).
   * @param {TrackView} track @param {CardState} st @param {"a" | "b"} side
   * @param {import("./i18n.js").STRINGS["en"]} s
   */
  pane(track, st, side, s) {
    const ps = st[side];
    const shown = this.track(ps.tag, track.kind) ?? track;
    const steps = shown.steps;
    const pane = document.createElement("div");
    pane.className = "sample-pane";
    pane.dataset.side = side;
    if (side === "b") pane.append(this.compareControl(track, st, s));
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
      const near = this.candidates.filter((c) => nearest(steps, c.step) === ps.at);
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
        if (st.shown) this.fillMedia(media, shown, st.zoom);
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
    pane.append(slider, this.marks(steps, go, s), caption, media);
    update(true);
    return pane;
  }

  /**
   * Marks under a slider: ◆ at the logged step nearest each candidate, ▲ at the latest; a click moves the
   * slider there. Positions are slider stops (logged steps), as the slider moves.
   * @param {number[]} steps @param {(at: number) => void} go
   * @param {import("./i18n.js").STRINGS["en"]} s
   */
  marks(steps, go, s) {
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
    for (const c of this.candidates)
      mark(
        nearest(steps, c.step),
        "candidate",
        s.samplesCandidateMark(c.text, steps[nearest(steps, c.step)]),
      );
    const latest = this.latestStep();
    if (Number.isFinite(latest))
      mark(nearest(steps, latest), "latest", s.samplesLatestMark(latest, steps[nearest(steps, latest)]));
    return row;
  }

  /**
   * What the right pane shows: this tag at another step, its ground truth, or another tag of its kind.
   * @param {TrackView} track @param {CardState} st @param {import("./i18n.js").STRINGS["en"]} s
   */
  compareControl(track, st, s) {
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
    for (const t of this.tracks) {
      if (t.kind === track.kind && t.tag !== track.tag && t.tag !== track.pair) add(t.tag, t.tag);
    }
    select.value = st.b.tag;
    select.addEventListener("change", () => {
      const other = this.track(select.value, track.kind);
      if (!other) return;
      const a = this.track(st.a.tag, track.kind) ?? track;
      st.b = { tag: other.tag, at: nearest(other.steps, a.steps[st.a.at]) };
      this.rerender(track);
    });
    label.append(`${s.samplesCompare} `, select);
    return label;
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
    const step = Number(box.dataset.step);
    let n = 0;
    for (let i = 0; i < track.entries.length && n < PER_STEP; i++) {
      if (track.entries[i].step !== step) continue;
      box.append(this.element(key, track, i, zoom, s));
      n++;
    }
  }

  /**
   * An <img> at its real size times the zoom (0: fit the pane), or an <audio> with its length and rate.
   * @param {string} key @param {TrackView} track @param {number} i @param {number} zoom
   * @param {import("./i18n.js").STRINGS["en"]} s
   */
  element(key, track, i, zoom, s) {
    const e = track.entries[i];
    const q = new URLSearchParams({ tag: track.tag, kind: track.kind, i: String(i), step: String(e.step) });
    const src = `/api/runs/${encodeURIComponent(key)}/sample?${q}`;
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    if (track.kind === "image") {
      const img = document.createElement("img");
      img.src = src;
      img.alt = `${track.tag} @ ${e.step}`;
      img.decoding = "async";
      if (e.width && e.height) {
        if (zoom > 0) {
          img.width = e.width * zoom;
          img.height = e.height * zoom;
        } else img.classList.add("fit");
      }
      if (zoom > 1) img.classList.add("pixelated");
      img.addEventListener("error", () => {
        caption.textContent = s.samplesUnreadable;
      });
      figure.append(img);
      caption.textContent = s.samplesImageInfo(e.width, e.height, e.bytes);
    } else {
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "auto";
      audio.src = src;
      audio.addEventListener("error", () => {
        caption.textContent = s.samplesUnreadable;
      });
      figure.append(audio);
      const seconds = e.frames !== undefined && e.sampleRate ? e.frames / e.sampleRate : undefined;
      caption.textContent = s.samplesAudioInfo(e.sampleRate, seconds, e.bytes, e.label);
    }
    figure.append(caption);
    return figure;
  }
}

/** The index of the step in `steps` (ascending) nearest `step`; the earlier one on a tie. @param {number[]} steps @param {number} step */
export function nearest(steps, step) {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(steps[lo - 1] - step) <= Math.abs(steps[lo] - step)) return lo - 1;
  return lo;
}
