/**
 * The native backend as a tfjs storage and as gblend's engine: data in and out, moves
 * between backends, reference counts, errors, threads; and the OpenBLAS environment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { engineInfo, initEngine } from '../../../src/engine/index.js';
import { blasEnvironment, cpuFlags, nativeLiveTensors } from '../../../src/engine/native/index.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();

test('blasEnvironment: SkylakeX kernels on AVX-512 CPUs, one BLAS thread, never overriding the user', () => {
  const avx512 = new Set(['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl']);
  assert.deepEqual(blasEnvironment({}, avx512), { OPENBLAS_CORETYPE: 'SkylakeX', OPENBLAS_NUM_THREADS: '1' });
  assert.deepEqual(blasEnvironment({}, new Set(['avx2', 'fma', 'avx512f'])), { OPENBLAS_NUM_THREADS: '1' }, 'AVX-512 F alone is not enough');
  assert.deepEqual(blasEnvironment({ OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_NUM_THREADS: '2' }, avx512), {});
  assert.deepEqual(blasEnvironment({ OPENBLAS_CORETYPE: '' }, avx512), { OPENBLAS_CORETYPE: 'SkylakeX', OPENBLAS_NUM_THREADS: '1' }, 'empty counts as unset');
});

test('cpuFlags reads the first flags line of /proc/cpuinfo', () => {
  const flags = cpuFlags('processor\t: 0\nflags\t\t: fpu sse avx512f\nbugs\t: x\nflags\t: other\n');
  assert.deepEqual([...flags], ['fpu', 'sse', 'avx512f']);
  assert.equal(cpuFlags('').size, 0);
});

test('initEngine native: backend, threads, BLAS; threads can change', { skip }, async () => {
  const info = await initEngine({ backend: 'native', threads: 1 });
  assert.equal(info.backend, 'native');
  assert.equal(tf.getBackend(), 'native');
  assert.equal(info.threads, 1);
  assert.match(info.native?.torch ?? '', /^\d+\.\d+/);
  assert.equal(await initEngine({ backend: 'native', threads: 1 }), info, 'same options: same info');
  const two = await initEngine({ backend: 'native', threads: 2 });
  assert.equal(two.threads, 2);
  assert.equal(two.native?.threads, 2, 'the runtime record follows the thread count');
  assert.equal(engineInfo(), two);
  await initEngine({ backend: 'native', threads: 1 });
});

test('native storage: float32, int32 and bool round trips; dispose frees native memory', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const live = nativeLiveTensors();
  const f = tf.tensor([1.5, -2, 3e-8, 4], [2, 2]);
  const i = tf.tensor([1, -2, 2147483647], [3], 'int32');
  const b = tf.tensor([true, false, true], [3], 'bool');
  const empty = tf.zeros([0, 3]);
  assert.deepEqual(Array.from(f.dataSync()), Array.from(new Float32Array([1.5, -2, 3e-8, 4])));
  assert.deepEqual(Array.from(await i.data()), [1, -2, 2147483647]);
  assert.ok(b.dataSync() instanceof Uint8Array);
  assert.deepEqual(Array.from(b.dataSync()), [1, 0, 1]);
  assert.deepEqual(empty.shape, [0, 3]);
  assert.equal(empty.dataSync().length, 0);
  assert.equal(nativeLiveTensors(), live! + 4);
  tf.dispose([f, i, b, empty]);
  assert.equal(nativeLiveTensors(), live);
});

test('native storage: shared data ids (identity, variables) are freed with their last tensor', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const live = nativeLiveTensors()!;
  const x = tf.tensor([1, 2, 3, 4], [2, 2]);
  const same = tf.clone(x);
  const v = tf.variable(x, false, 'native_shared');
  const r = tf.reshape(x, [4]);
  x.dispose();
  same.dispose();
  assert.deepEqual(Array.from(v.dataSync()), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(r.dataSync()), [1, 2, 3, 4]);
  v.dispose();
  assert.equal(nativeLiveTensors(), live + 1, 'the reshaped view is still alive');
  r.dispose();
  assert.equal(nativeLiveTensors(), live);
});

test('native storage: tensors made on another backend move in on first use, and back', { skip }, async () => {
  await tf.setBackend('cpu');
  const onCpu = tf.tensor([1, 2, 3]);
  await initEngine({ backend: 'native' });
  const live = nativeLiveTensors()!;
  const sum = tf.add(onCpu, onCpu);
  assert.equal(nativeLiveTensors(), live + 2, 'moved input and result');
  assert.deepEqual(Array.from(sum.dataSync()), [2, 4, 6]);
  await tf.setBackend('cpu');
  assert.deepEqual(Array.from(tf.mul(sum, 2).dataSync()), [4, 8, 12]);
  assert.equal(nativeLiveTensors(), live + 1, 'sum moved out');
  tf.dispose([onCpu, sum]);
  await initEngine({ backend: 'native' });
  assert.equal(nativeLiveTensors(), live);
});

test('native errors are loud: libtorch errors, missing kernels, unsupported dtypes', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const before = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => tf.gather(tf.ones([3]), tf.tensor1d([5], 'int32'))), (err: unknown) => {
    assert.equal((err as { code?: string }).code, 'ENGINE_NATIVE_OP');
    assert.match((err as Error).message, /out of range/);
    return true;
  });
  assert.throws(() => tf.tidy(() => tf.cumsum(tf.ones([3]))), /'Cumsum'.*'native'/);
  assert.throws(() => tf.tensor(['a', 'b']), /string tensors are not supported/);
  assert.equal(tf.memory().numTensors, before);
});
