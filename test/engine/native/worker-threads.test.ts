/**
 * The addon serves one Node.js environment at a time (its tensor table and io buffer are
 * process-wide): a worker thread that loads it while the main thread uses it gets a clear
 * refusal, the main thread keeps working, and once the first user exits another may start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();
const nativeUrl = new URL('../../../src/engine/native/index.js', import.meta.url).href;

/** registerNativeBackend() in a fresh worker, then a small product there if it is available. */
function inWorker(): Promise<{ available: boolean; reason?: string; product?: number[] }> {
  const script = `
    const { parentPort } = require('node:worker_threads');
    (async () => {
      const tf = await import('@tensorflow/tfjs-core');
      const { registerNativeBackend } = await import(${JSON.stringify(nativeUrl)});
      const status = registerNativeBackend();
      if (!status.available) return parentPort.postMessage({ available: false, reason: status.reason });
      await tf.setBackend('native');
      const product = Array.from(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync());
      parentPort.postMessage({ available: true, product });
    })().catch((err) => parentPort.postMessage({ available: false, reason: 'threw: ' + err.message }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: true });
    let message: { available: boolean; reason?: string; product?: number[] } | undefined;
    worker.on('message', (m) => (message = m));
    worker.on('error', reject);
    worker.on('exit', () => (message === undefined ? reject(new Error('worker exited without a message')) : resolve(message)));
  });
}

test('a worker thread is refused the addon while the main thread uses it; the main thread carries on', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const x = tf.tensor([1, 2, 3, 4], [2, 2]);
  const result = await inWorker();
  assert.equal(result.available, false, 'the worker got the addon the main thread holds');
  assert.match(result.reason ?? '', /already in use by another Node\.js environment/);
  assert.deepEqual(Array.from(tf.matMul(x, x).dataSync()), [7, 10, 15, 22]);
  x.dispose();
});

test('once a worker that used the addon exits, the main thread can start it', { skip }, async () => {
  // A fresh process: this one's main thread already holds the addon.
  const workerCode = `import(${JSON.stringify(nativeUrl)}).then((m) => require('node:worker_threads').parentPort.postMessage(m.registerNativeBackend().available))`;
  const script = `
    import { Worker } from 'node:worker_threads';
    import { registerNativeBackend } from ${JSON.stringify(nativeUrl)};
    const code = ${JSON.stringify(workerCode)};
    const inWorker = await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, execArgv: [] });
      let got;
      w.on('message', (m) => (got = m));
      w.on('error', reject);
      w.on('exit', () => resolve(got));
    });
    console.log(JSON.stringify({ inWorker, inMain: registerNativeBackend() }));`;
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../../../', import.meta.url).pathname, timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim()) as { inWorker: boolean; inMain: { available: boolean; reason?: string } };
  assert.equal(out.inWorker, true, 'the worker, first, got the addon');
  assert.equal(out.inMain.available, true, `after the worker exited: ${out.inMain.reason}`);
});
