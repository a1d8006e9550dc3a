/**
 * Seeded random corruptions of a valid mlpStep / mlpEval plan, in a child process of mlp-step.test.ts
 * (a crash is then a failed test naming its case):
 *   node dist/test/engine/native/mlp-fuzz-runner.js <seed> <cases>
 * Before each case it prints `@<index>`; at the end one JSON line: { refused, stepped, problems }.
 * A case may be refused (an Error) or run; either way it must leave no tensor behind.
 */
import { writeSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../../src/core/rng.js';
import { initEngine } from '../../../src/engine/index.js';
import { nativeLiveTensors, type NativeBackend } from '../../../src/engine/native/index.js';
import { fixture, type Fixture } from './mlp-fixture.js';

const STRANGE = [NaN, Infinity, -Infinity, -1, 0, 0.5, 1, 2, 3, 255, 256, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 1e300, -0];

async function main(): Promise<void> {
  const [seed, count] = process.argv.slice(2).map(Number) as [number, number];
  await initEngine({ backend: 'native', threads: 1 });
  const b = tf.backend() as NativeBackend;
  const rng = createRng(seed);
  let f: Fixture = fixture(b);
  let refused = 0;
  let stepped = 0;
  const problems: string[] = [];
  for (let index = 0; index < count; index++) {
    writeSync(1, `@${index}\n`);
    // A fresh model now and then: corrupt steps may have driven the weights to NaN.
    if (index % 100 === 0) {
      f.dispose();
      f = fixture(b);
    }
    const step = rng.next() < 0.7;
    const words = f.words({ optimizer: step });
    const ids = Object.values(f.ids);
    for (let k = 0, n = 1 + rng.int(3); k < n; k++) {
      const at = rng.int(words.length);
      const r = rng.next();
      if (r < 0.35) words[at] = ids[rng.int(ids.length)]!;
      else if (r < 0.7) words[at] = STRANGE[rng.int(STRANGE.length)]!;
      else if (r < 0.85) words[at] = rng.int(40) - 3;
      else if (r < 0.93) words.splice(at, 1);
      else words.splice(at, 0, rng.int(40));
    }
    const live = nativeLiveTensors();
    try {
      b.io.set(words);
      if (step) {
        const loss = b.addon.mlpStep(words.length, 0.1, 0.9, 1e-4, 0.9, 0.999, 1e-7, 0.1, 0.001);
        // Weights the step could not update in place came back as fresh tensors: not adopted here.
        const fresh = b.io[0]!;
        if (!Number.isFinite(loss) && fresh !== 0) problems.push(`case ${index}: a loss of ${loss} with ${fresh} fresh weights`);
        const made = Array.from({ length: fresh }, (_, i) => b.io[2 + 2 * i]!);
        for (const id of made) b.addon.free(id);
      } else {
        b.addon.free(b.addon.mlpEval(words.length, rng.next() < 0.5));
      }
      stepped++;
    } catch (err) {
      if (!(err instanceof Error) || err.message.length === 0) problems.push(`case ${index}: threw ${String(err)}`);
      refused++;
    }
    if (nativeLiveTensors() !== live) problems.push(`case ${index}: native tensors ${live} -> ${nativeLiveTensors()}`);
    if (problems.length > 20) break;
  }
  f.dispose();
  writeSync(1, `${JSON.stringify({ refused, stepped, problems })}\n`);
}

await main();
