/**
 * Runs the fuzz property in a worker thread, so that the test's main thread can stop it if a case
 * hangs (a synchronous infinite loop cannot be interrupted from inside). Posts 'case' before each case,
 * then 'done' with the outcome tally, or 'failed' with fast-check's report (which gives seed and path).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { checkCase, fuzzCase, type Outcomes } from './cases.js';

const { seed, runs } = workerData as { seed: number; runs: number };
const root = await mkdtemp(join(tmpdir(), 'gblend-fuzz-'));
const outcomes: Outcomes = {};
let index = 0;
try {
  await fc.assert(
    fc.asyncProperty(fuzzCase, async (c) => {
      const dir = join(root, `case-${index}`);
      parentPort!.postMessage({ type: 'case', index: index++ });
      try {
        for (const o of await checkCase(c, dir)) outcomes[o] = (outcomes[o] ?? 0) + 1;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }),
    { seed, numRuns: runs },
  );
  parentPort!.postMessage({ type: 'done', cases: index, outcomes });
} catch (err) {
  parentPort!.postMessage({ type: 'failed', message: (err as Error).message });
} finally {
  await rm(root, { recursive: true, force: true });
}
