/**
 * The samples view's media: the <img> and <audio> elements of one pane at one step, each asking the
 * server for its sample by (run key, tag, kind, index), never by a path. Apart from the view because
 * this is the only place the page loads a sample's bytes, and what it shows of each (size, rate, length).
 */

/**
 * @typedef {import("./samples.js").TrackView} TrackView
 * @typedef {import("./i18n.js").STRINGS["en"]} Strings
 */

/** Images or clips shown at most per step of one pane (a TF2 value may hold a batch). */
const PER_STEP = 4;

/**
 * The images or clips of `track` at the step `box` names (a few at most), from run `key`.
 * @param {HTMLElement} box @param {string} key @param {TrackView} track @param {number} zoom
 * @param {Strings} s
 */
export function fillMedia(box, key, track, zoom, s) {
  const step = Number(box.dataset.step);
  let n = 0;
  for (let i = 0; i < track.entries.length && n < PER_STEP; i++) {
    if (track.entries[i].step !== step) continue;
    box.append(mediaElement(key, track, i, zoom, s));
    n++;
  }
}

/**
 * An <img> at its real size times the zoom (0: fit the pane), or an <audio> with its length and rate.
 * @param {string} key @param {TrackView} track @param {number} i @param {number} zoom
 * @param {Strings} s
 */
function mediaElement(key, track, i, zoom, s) {
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
