/**
 * A voice model's event file as RVC / VITS write one, made with the project's own encoder: the losses
 * (loss/d/total, loss/g/total, loss/g/mel, ..., K = 2 sub-discriminators) every `every` steps, and every
 * `sampleEvery` steps the samples they log: mel spectrograms of the generated and the original slice
 * (`slice/mel_gen`, `slice/mel_org`) and the generated and ground-truth audio (`gen/audio`, `gt/audio`).
 * loss_mel falls, bottoms out near 70% of the run and rises again, so the monitor names candidates
 * before the end.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { encodeEvent, type SampleToEncode } from "../../src/events/event-encoder.ts";
import { frameRecord } from "../../src/tfrecord/record-writer.ts";
import { png, tone } from "./media.ts";

export interface VoiceRunOptions {
  steps?: number;
  every?: number;
  sampleEvery?: number;
  /** Mel image size (default 160 × 80). */
  width?: number;
  height?: number;
  /** Seconds of each clip (default 0.5 s at 16 kHz). */
  clipSeconds?: number;
}

/** Writes `dir/events.out.tfevents.1700000000.voice.1.0`; returns its path. */
export function writeVoiceRun(dir: string, o: VoiceRunOptions = {}): string {
  const steps = o.steps ?? 10000;
  const every = o.every ?? 100;
  const sampleEvery = o.sampleEvery ?? 1000;
  const width = o.width ?? 160;
  const height = o.height ?? 80;
  const seconds = o.clipSeconds ?? 0.5;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "events.out.tfevents.1700000000.voice.1.0");
  const fd = openSync(path, "w");
  const write = (e: Parameters<typeof encodeEvent>[0]) => writeSync(fd, frameRecord(encodeEvent(e)));
  try {
    write({ wallTime: 1700000000, fileVersion: "brain.Event:2" });
    for (let step = 0; step <= steps; step += every) {
      const t = step / steps;
      const wobble = 0.3 * Math.sin(step / 170);
      const mel = 18 + 10 * Math.exp(-5 * t) + 12 * Math.max(0, t - 0.7) ** 2 * 10 + wobble;
      // Near the least-squares equilibrium of K = 2 (loss_disc 1, loss_gen 0.5): a balanced game.
      const gen = 0.5 + 0.04 * Math.sin(step / 230);
      write({
        wallTime: 1700000000 + step,
        step,
        scalars: [
          { tag: "loss/d/total", value: 0.98 + 0.05 * Math.cos(step / 310) },
          { tag: "loss/g/total", value: mel + 2 * gen + 4 },
          { tag: "loss/g/mel", value: mel },
          { tag: "loss/g/kl", value: 1.5 - 0.5 * t },
          { tag: "loss/g/fm", value: 4 + 0.2 * Math.sin(step / 90) },
          { tag: "loss/g/0", value: gen / 2 },
          { tag: "loss/g/1", value: gen / 2 },
          { tag: "loss/d_r/0", value: 0.24 },
          { tag: "loss/d_r/1", value: 0.24 },
          { tag: "loss/d_g/0", value: 0.25 },
          { tag: "loss/d_g/1", value: 0.25 },
        ],
      });
      if (step % sampleEvery === 0)
        write({ wallTime: 1700000000 + step + 0.5, step, samples: samplesAt(step) });
    }
  } finally {
    closeSync(fd);
  }
  return path;

  function samplesAt(step: number): SampleToEncode[] {
    // A spectrogram-like picture whose bands sharpen as training goes on: each step's image differs.
    const sharp = 1 + step / sampleEvery;
    const mel = (shift: number) =>
      png(width, height, (x, y) => Math.round(127 + 120 * Math.sin((y * sharp) / 9 + x / (7 + shift))));
    return [
      { form: "image", tag: "slice/mel_gen", png: mel(step / sampleEvery), width, height, colorspace: 1 },
      { form: "image", tag: "slice/mel_org", png: mel(0), width, height, colorspace: 1 },
      { form: "audio", tag: "gen/audio", audio: tone(220 + step / 50, seconds), sampleRate: 16000 },
      { form: "audio", tag: "gt/audio", audio: tone(220, seconds), sampleRate: 16000 },
    ];
  }
}
