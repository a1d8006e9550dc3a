/**
 * The fuzz run, in a child process of fuzz.test.ts (so that a crash or a hang is a
 * failure naming its case, not the end of the test run):
 *   node dist/test/engine/native/fuzz/runner.js <seed> <first> <count>
 * Before each case it prints `@<index>` on stdout; at the end one JSON line (Summary).
 * Each case runs on cpu and on native: the same values, or an error on both; inputs no
 * tfjs op would pass (`invalid`) must be refused by native even where a cpu kernel does
 * not check them. No case may leave a tensor behind on either side.
 */
import { writeSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../../src/engine/index.js';
import { nativeLiveTensors } from '../../../../src/engine/native/index.js';
import { describe } from './case.js';
import { caseAt } from './generators.js';
import { difference, run } from './outcome.js';

export interface Summary {
  cases: number;
  /** Cases whose outputs were compared (both backends succeeded). */
  compared: number;
  /** Cases where both backends threw. */
  bothThrew: number;
  /** Cases whose result tfjs leaves undefined (only crashes and leaks count there). */
  cpuUndefined: number;
  /** Invalid inputs that native refused but a cpu kernel computed something from. */
  cpuAcceptedInvalid: Record<string, number>;
  failures: { index: number; case: string; problem: string }[];
}

async function main(): Promise<void> {
  const [seed, first, count] = process.argv.slice(2).map(Number) as [number, number, number];
  await initEngine({ backend: 'native', threads: 1 });
  const summary: Summary = { cases: 0, compared: 0, bothThrew: 0, cpuUndefined: 0, cpuAcceptedInvalid: {}, failures: [] };
  const fail = (index: number, c: ReturnType<typeof caseAt>, problem: string): void => {
    if (summary.failures.length < 50) summary.failures.push({ index, case: describe(c), problem });
  };
  for (let index = first; index < first + count; index++) {
    writeSync(1, `@${index}\n`);
    const c = caseAt(seed, index);
    await tf.setBackend('cpu');
    const want = run(c);
    await tf.setBackend('native');
    const tensors = tf.memory().numTensors;
    const live = nativeLiveTensors();
    const got = run(c);
    summary.cases++;
    if (tf.memory().numTensors !== tensors || nativeLiveTensors() !== live) {
      fail(index, c, `leaked: tfjs tensors ${tensors} -> ${tf.memory().numTensors}, native ${live} -> ${nativeLiveTensors()}`);
    }
    if (c.cpuUndefined === true) summary.cpuUndefined++;
    else if ('error' in got && 'error' in want) summary.bothThrew++;
    else if ('error' in got) {
      if (c.invalid) summary.cpuAcceptedInvalid[c.kernel] = (summary.cpuAcceptedInvalid[c.kernel] ?? 0) + 1;
      else fail(index, c, `native threw (${got.error}), cpu did not`);
    } else if ('error' in want) fail(index, c, `cpu threw (${want.error}), native did not`);
    else if (c.invalid) fail(index, c, 'native accepted invalid inputs');
    else {
      summary.compared++;
      const diff = difference(got.outputs, want.outputs, c.tol ?? 1e-4);
      if (diff !== null) fail(index, c, diff);
    }
  }
  writeSync(1, `${JSON.stringify(summary)}\n`);
}

await main();
