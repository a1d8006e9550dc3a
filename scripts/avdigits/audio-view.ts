/**
 * The spoken half of the dataset: synthesise utterances per class and split, then render each one
 * into `reuse` noisy clips (1 by default: one utterance per example) and turn those into quantised
 * log-mel spectrograms.
 */
import { renderClip } from './clip.js';
import type { AudioConfig } from './config.js';
import { BuildError } from './errors.js';
import { resample } from '../../src/features/resample.js';
import { clipFeatures } from '../../src/features/spoken-digit.js';
import { pick, randInt, shuffle, uniform, type Rng } from './rng.js';
import { DIGIT_WORDS, synthesize, trimSilence, type VoiceSpec } from './speech.js';

export interface AudioStreams {
  /** Chooses speakers, speed and pitch. */
  voices: Rng;
  /** Chooses SNR, level, offset and the noise itself. */
  noise: Rng;
}

/** Every accent x variant pair, in random order. */
function speakers(cfg: AudioConfig, variants: readonly string[], rng: Rng): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  for (const accent of cfg.accents) for (const variant of variants) all.push([accent, variant]);
  return shuffle(rng, all);
}

function utterance(word: string, voice: VoiceSpec, sampleRate: number): Float32Array {
  const wave = synthesize(word, voice);
  return resample(trimSilence(wave.samples), wave.sampleRate, sampleRate);
}

/**
 * A speed and pitch for this speaker that it has not yet used for this word. espeak-ng is
 * deterministic, so a repeated (speaker, speed, pitch) would give the same waveform twice: two
 * examples that differ only by noise, offset and level, which is what `reuse: 1` rules out.
 */
function freshVoice(cfg: AudioConfig, accent: string, variant: string, used: Set<string>, rng: Rng): VoiceSpec {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const voice: VoiceSpec = {
      accent,
      variant,
      speed: Math.round(uniform(rng, cfg.speed[0], cfg.speed[1])),
      pitch: Math.round(uniform(rng, cfg.pitch[0], cfg.pitch[1])),
    };
    const key = `${accent}+${variant} ${voice.speed} ${voice.pitch}`;
    if (!used.has(key)) {
      used.add(key);
      return voice;
    }
  }
  throw new BuildError('BAD_ARGS', `ran out of distinct speed/pitch settings for voice ${accent}+${variant}: --per-class is too large for the voice list`);
}

/**
 * For each digit, `count` spectrograms (frames * melBands bytes each). Speakers are cycled from a
 * shuffled list so that every speaker of the split says every digit about equally often.
 */
export function makeSpectrograms(
  cfg: AudioConfig,
  variants: readonly string[],
  count: number,
  streams: AudioStreams,
  onUtterance: () => void,
): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const pool = speakers(cfg, variants, streams.voices);
    const start = randInt(streams.voices, pool.length);
    const used = new Set<string>();
    const clips: Uint8Array[] = [];
    for (let u = 0; clips.length < count; u++) {
      const [accent, variant] = pool[(start + u) % pool.length]!;
      const voice = freshVoice(cfg, accent, variant, used, streams.voices);
      const speech = utterance(DIGIT_WORDS[digit]!, voice, cfg.logMel.sampleRate);
      onUtterance();
      for (let r = 0; r < cfg.reuse && clips.length < count; r++) {
        const clip = renderClip(speech, {
          length: cfg.clipSamples,
          snrDb: pick(streams.noise, cfg.snrDb),
          levelDb: uniform(streams.noise, cfg.levelDb[0], cfg.levelDb[1]),
        }, streams.noise);
        clips.push(clipFeatures(clip, cfg));
      }
    }
    result.push(clips);
  }
  return result;
}
