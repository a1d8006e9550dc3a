/** The comparison's status line: runs done, every running run's epoch (one per worker), and an ETA. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareProgress, duration, type Printer } from '../../src/cli/progress.js';

function recorder(): Printer & { statuses: string[]; lines: string[] } {
  const statuses: string[] = [];
  const lines: string[] = [];
  return { statuses, lines, line: (t) => void lines.push(t), status: (t) => void statuses.push(t), progress: (t) => void statuses.push(t) };
}

test('status line: runs done, each running run at its epoch, ETA once epochs are trained', async () => {
  const p = recorder();
  const cb = compareProgress(p, false, 4);
  cb.onPlan!({ total: 3, done: 1, jobs: 2, skipped: ['ogm-ge@se'] });
  assert.deepEqual(p.lines, ['Not run (the method is not defined for the fusion; docs/methods.md, Fusions): ogm-ge@se.', 'Resuming: 1 of 3 runs already finished.']);
  cb.onRunStart!({ method: 'naive', seed: 0, index: 1, total: 3 });
  cb.onRunStart!({ method: 'aux', seed: 0, index: 2, total: 3 });
  await new Promise((r) => setTimeout(r, 20));
  cb.onProgress!({ method: 'naive', seed: 0 }, { phase: 'train', epoch: 2, epochs: 4 });
  assert.match(p.statuses.at(-1)!, /^1\/3 runs done; naive seed 0 epoch 2\/4, aux seed 0 epoch 0\/4, ETA \d+s$/);
  cb.onRunEnd!({ method: 'naive', seed: 0, weights: {}, test: { fused: { acc: 0.5, macro_f1: 0.5 } }, seconds: 1 });
  assert.match(p.statuses.at(-1)!, /^2\/3 runs done; aux seed 0 epoch 0\/4, ETA \d+s$/);
  assert.equal(p.lines.at(-1), '[2/3] naive seed 0: done in 1s, test top-1 50.0%');
});

test('durations', () => {
  assert.deepEqual([duration(0), duration(59.4), duration(65), duration(3600)], ['0s', '59s', '1m05s', '60m00s']);
});
