/**
 * Matrix products on oneDNN (where libdnnl.so.2 loads) and on ATen: both engines agree
 * with the cpu backend on every matmul case, and oneDNN survives signals (its kernels
 * corrupt the heap when one is delivered mid-call; native/src/gemm.cc blocks them).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import type { NativeBackend } from '../../../src/engine/native/index.js';
import { compareNative, floats, nativeSkip, withGrads, type OpCase } from './helpers.js';
import { matMul } from './kernels/nn-cases.js';

const skip = nativeSkip();

/** Debian's libtorch depends on libdnnl2; where it is installed, oneDNN must be in use. */
const dnnlInstalled = ['/usr/lib/x86_64-linux-gnu/libdnnl.so.2', '/usr/lib/aarch64-linux-gnu/libdnnl.so.2'].some(existsSync);

const larger: OpCase[] = [
  ...([[false, false], [true, false], [false, true], [true, true]] as const).map(([ta, tb], i): OpCase => ({
    kernels: [tf.BatchMatMul], name: `128-row products (transposeA ${ta}, transposeB ${tb}), gradients`,
    inputs: [floats(ta ? [96, 128] : [128, 96], 70 + i), floats(tb ? [70, 96] : [96, 70], 80 + i)],
    fn: withGrads((a, b) => tf.matMul(a!, b!, ta, tb)),
  })),
  { kernels: [tf._FusedMatMul], name: 'bias [n] and relu on a 128-row product', inputs: [floats([128, 64], 90), floats([64, 33], 91), floats([33], 92)],
    fn: (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias!, activation: 'relu' }) },
  { kernels: [tf._FusedMatMul], name: 'bias [m, n]', inputs: [floats([7, 5], 93), floats([5, 4], 94), floats([7, 4], 95)],
    fn: (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias! }) },
  { kernels: [tf.BatchMatMul], name: 'one row, one column', inputs: [floats([1, 9], 96), floats([9, 1], 97)], fn: (a, b) => tf.matMul(a!, b!) },
  { kernels: [tf.BatchMatMul], name: 'empty inner dimension gives zeros', inputs: [floats([4, 0], 98), floats([0, 3], 99)], fn: (a, b) => tf.matMul(a!, b!) },
];

function setGemm(engine: 'dnnl' | 'aten'): string {
  return (tf.backend() as NativeBackend).addon.setGemm(engine);
}

test('engine info names the matrix product engine; oneDNN where libdnnl.so.2 is installed', { skip }, async () => {
  const info = await initEngine({ backend: 'native' });
  const gemm = info.native?.gemm ?? '';
  if (dnnlInstalled && process.env['GBLEND_GEMM'] !== 'aten') assert.match(gemm, /^oneDNN \d+\.\d+\.\d+$/);
  else assert.ok(gemm === 'ATen' || gemm.startsWith('oneDNN'), gemm);
});

for (const engine of ['dnnl', 'aten'] as const) {
  test(`matrix products on ${engine} agree with the cpu backend`, { skip }, async (t) => {
    await initEngine({ backend: 'native' });
    const before = setGemm('dnnl') === '' ? 'aten' : 'dnnl';
    try {
      if (setGemm(engine) === '') {
        assert.ok(!dnnlInstalled || process.env['CI'] !== 'true', 'libdnnl.so.2 is installed but oneDNN did not load');
        t.skip('oneDNN (libdnnl.so.2) is not loaded here');
        return;
      }
      for (const c of [...matMul, ...larger]) {
        const ran = await compareNative(`${engine}: ${c.name}`, c.inputs, c.fn, c.tol ?? 1e-5);
        for (const k of c.kernels) assert.ok(ran.has(k), `${c.name}: ${k} did not run`);
      }
    } finally {
      setGemm(before);
    }
  });
}

test('oneDNN products survive signals: 3 s of products under a 100 us sampling profiler', { skip }, async (t) => {
  const info = await initEngine({ backend: 'native' });
  if (!(info.native?.gemm ?? '').startsWith('oneDNN')) {
    t.skip('oneDNN is not in use here');
    return;
  }
  const engineUrl = new URL('../../../src/engine/index.js', import.meta.url).href;
  const script = `
    import * as tf from '@tensorflow/tfjs-core';
    import { initEngine } from ${JSON.stringify(engineUrl)};
    await initEngine({ backend: 'native', threads: 1 });
    const a = tf.randomNormal([128, 512], 0, 1, 'float32', 1), b = tf.randomNormal([512, 256], 0, 1, 'float32', 2);
    const end = Date.now() + 3000;
    let n = 0;
    while (Date.now() < end) {
      tf.tidy(() => { tf.matMul(a, b).dataSync(); tf.matMul(b, a, true, true).dataSync(); });
      n++;
    }
    console.log(n);`;
  const dir = mkdtempSync(join(tmpdir(), 'gblend-prof-'));
  try {
    const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, '--input-type=module', '-e', script],
      { encoding: 'utf8', cwd: new URL('../../../../', import.meta.url).pathname, timeout: 60_000 });
    assert.equal(run.status, 0, `child exited with ${run.status} (signal ${run.signal}): ${run.stderr.slice(-500)}`);
    assert.ok(Number(run.stdout.trim()) > 10, `too few products ran: ${run.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
