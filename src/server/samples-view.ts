/**
 * A run's samples as the page's samples view draws them: each image or audio tag with its logged steps
 * and what each sample is (size, rate, bytes), the tag it can be heard or seen against (its ground
 * truth: `generated/y_hat_spec_0` against `gt/y_spec_0`, `slice/mel_gen` against `slice/mel_org`).
 * The candidate epochs and the latest step the view marks come with the monitor's report (report-view.ts).
 * No bytes and no file places: a sample is fetched by (run, tag, kind, index) alone.
 */
import { type SampleKind, type SampleTrack, trackSteps } from "../sources/samples.ts";

export interface SampleEntryView {
  step: number;
  /** Its encoded size in bytes. */
  bytes: number;
  contentType: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  frames?: number;
  label?: string;
}

export interface SampleTrackView {
  tag: string;
  kind: SampleKind;
  /** The distinct steps, ascending: the step slider's stops. */
  steps: number[];
  /** Every sample, in step order; index i is the `i` of its payload request. */
  entries: SampleEntryView[];
  /** The tag of the same kind it is best compared with (its ground truth), if the run logs one. */
  pair?: string;
}

export interface SamplesView {
  tracks: SampleTrackView[];
}

/**
 * How generated samples' tags are spelled against their ground truth's in the trainers that log them
 * (HiFi-GAN: generated/y_hat_spec_0 and gt/y_spec_0; RVC: slice/mel_gen and slice/mel_org; VITS and
 * so-vits-svc: gen/audio and gt/audio, gen/mel and gt/mel); applied in turn, each where it matches.
 */
const GROUND_TRUTH_SPELLINGS: [RegExp, string][] = [
  [/(^|\/)generated\//, "$1gt/"],
  [/(^|\/)gen\//, "$1gt/"],
  [/(^|\/)fake\//, "$1real/"],
  [/y_hat/, "y"],
  [/mel_gen/, "mel_org"],
  [/_gen(\b|_)/, "_gt$1"],
  [/fake/, "real"],
];

/** The ground-truth tag of `tag` among `tags`, if one of the spellings above leads there. */
export function groundTruthOf(tag: string, tags: ReadonlySet<string>): string | undefined {
  let t = tag;
  for (const [from, to] of GROUND_TRUTH_SPELLINGS) {
    const next = t.replace(from, to);
    if (next === t) continue;
    t = next;
    if (tags.has(t) && t !== tag) return t;
  }
  return undefined;
}

export function samplesView(tracks: readonly SampleTrack[]): SamplesView {
  const byKind = new Map<SampleKind, Set<string>>();
  for (const t of tracks) {
    const set = byKind.get(t.kind) ?? new Set<string>();
    set.add(t.tag);
    byKind.set(t.kind, set);
  }
  return {
    tracks: tracks.map((t) => {
      const pair = groundTruthOf(t.tag, byKind.get(t.kind) ?? new Set());
      return {
        tag: t.tag,
        kind: t.kind,
        steps: trackSteps(t),
        entries: t.entries.map((e) => {
          const view: SampleEntryView = { step: e.step, bytes: e.length, contentType: e.contentType };
          for (const key of ["width", "height", "sampleRate", "channels", "frames", "label"] as const) {
            if (e[key] !== undefined) (view as unknown as Record<string, unknown>)[key] = e[key];
          }
          return view;
        }),
        ...(pair !== undefined ? { pair } : {}),
      };
    }),
  };
}
