/**
 * Signals never reach oneDNN (native/src/signals.h): OpenMP's workers block them whatever
 * the product engine (ATen's convolutions and pooling run oneDNN too), and convolutions,
 * their gradients and pooling survive a 100 us sampling profiler, whose SIGPROF corrupts
 * the heap when it lands inside a oneDNN kernel.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();
const engineUrl = new URL('../../../src/engine/index.js', import.meta.url).href;
const root = new URL('../../../../', import.meta.url).pathname;

function runChild(script: string, env: Record<string, string>, nodeArgs: string[] = []): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8', cwd: root, timeout: 90_000, env: { ...process.env, ...env } });
}

for (const gemm of ['dnnl', 'aten']) {
  test(`OpenMP workers block signals with GBLEND_GEMM=${gemm}, at start and after the thread count changes`, { skip }, () => {
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { initEngine } from ${JSON.stringify(engineUrl)};
      await initEngine({ backend: 'native', threads: 2 });
      const first = tf.backend().addon.unblockedWorkers();
      await initEngine({ backend: 'native', threads: 3 });
      console.log(JSON.stringify([first, tf.backend().addon.unblockedWorkers()]));`;
    const run = runChild(script, { GBLEND_GEMM: gemm });
    assert.equal(run.status, 0, run.stderr.slice(-800));
    assert.deepEqual(JSON.parse(run.stdout.trim()), [0, 0], 'workers that would take SIGPROF (at 2 threads, at 3)');
  });
}

test('convolutions, their gradients and pooling survive 3 s under a 100 us sampling profiler', { skip }, () => {
  const script = `
    import * as tf from '@tensorflow/tfjs-core';
    import { initEngine } from ${JSON.stringify(engineUrl)};
    await initEngine({ backend: 'native', threads: 2 });
    const x = tf.randomNormal([8, 16, 16, 4], 0, 1, 'float32', 1);
    const f = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 2);
    const loss = (x, f) => tf.sum(tf.avgPool(tf.maxPool(tf.relu(tf.conv2d(x, f, 1, 'same')), 2, 2, 'same'), 2, 1, 'valid'));
    const grads = tf.grads(loss);
    const end = Date.now() + 3000;
    let n = 0, first;
    while (Date.now() < end) {
      const sum = tf.tidy(() => grads([x, f]).map((g) => tf.sum(g).dataSync()[0]));
      first ??= sum;
      if (sum.some((s, i) => s !== first[i])) throw new Error('results changed: ' + sum + ' vs ' + first);
      n++;
    }
    console.log(n);`;
  const dir = mkdtempSync(join(tmpdir(), 'gblend-prof-'));
  try {
    const run = runChild(script, {}, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir]);
    assert.equal(run.status, 0, `child exited with ${run.status} (signal ${run.signal}): ${run.stderr.slice(-500)}`);
    assert.ok(Number(run.stdout.trim()) > 10, `too few steps ran: ${run.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
