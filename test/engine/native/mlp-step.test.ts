/**
 * The addon's whole MLP step (native/src/mlp_step.cc) called directly, with no TypeScript in between
 * to check its plan for it: one step against a hand-written double-precision reference, every kind
 * of bad plan refused with nothing changed or left behind, and seeded random corruptions of a valid
 * plan in a child process (a crash fails the test with the case: mlp-fuzz-runner.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { nativeLiveTensors, type NativeBackend } from '../../../src/engine/native/index.js';
import { nativeSkip } from './helpers.js';
import { fixture, type Fixture } from './mlp-fixture.js';

const skip = nativeSkip();

async function native(): Promise<NativeBackend> {
  await initEngine({ backend: 'native' });
  return tf.backend() as NativeBackend;
}

/** A double-precision reference of one momentum-SGD step of the fixture (see mlp-fixture.ts). */
function referenceStep(f: Fixture, lr: number, momentum: number, wd: number): { loss: number; w: number[][] } {
  const [x, w1, b1, w2, b2, y] = [f.values.x, f.values.w1, f.values.b1, f.values.w2, f.values.b2, f.values.labels];
  const grads = [w1.map(() => 0), b1.map(() => 0), w2.map(() => 0), b2.map(() => 0)];
  let loss = 0;
  for (const r of f.rows) {
    const h = [0, 1].map((j) => Math.max(0, x[r * 2]! * w1[j]! + x[r * 2 + 1]! * w1[2 + j]! + b1[j]!));
    const z = [0, 1].map((j) => h[0]! * w2[j]! + h[1]! * w2[2 + j]! + b2[j]!);
    const top = Math.max(...z);
    const lse = top + Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0));
    const t = [y[r * 2]!, y[r * 2 + 1]!];
    loss += -(t[0]! * (z[0]! - lse) + t[1]! * (z[1]! - lse)) / f.rows.length;
    const dz = z.map((v, j) => (Math.exp(v - lse) - t[j]!) / f.rows.length);
    const dh = [0, 1].map((i) => (h[i]! > 0 ? dz[0]! * w2[i * 2]! + dz[1]! * w2[i * 2 + 1]! : 0));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        grads[2]![i * 2 + j]! += h[i]! * dz[j]!;
        grads[0]![i * 2 + j]! += x[r * 2 + i]! * dh[j]!;
      }
      grads[3]![i]! += dz[i]!;
      grads[1]![i]! += dh[i]!;
    }
  }
  // A fresh accumulation is zero: a = momentum * 0 + g.
  void momentum;
  const weights = [w1, b1, w2, b2];
  return { loss, w: weights.map((w, k) => w.map((v, i) => v - lr * (grads[k]![i]! + wd * v))) };
}

test('one native MLP step equals a hand-written double-precision step (momentum SGD, weight decay)', { skip }, async () => {
  const b = await native();
  const f = fixture(b);
  try {
    const want = referenceStep(f, 0.5, 0.9, 0.01);
    const loss = b.addon.mlpStep(f.write(f.words()), 0.5, 0.9, 0.01, 0.9, 0.999, 1e-7, 0.1, 0.001);
    assert.ok(Math.abs(loss - want.loss) < 1e-6, `loss ${loss} vs ${want.loss}`);
    assert.equal(b.io[0], 0, 'every weight updated in place');
    f.weights().forEach((w, k) => w.forEach((v, i) => assert.ok(Math.abs(v - want.w[k]![i]!) < 1e-6, `weight ${k}[${i}]: ${v} vs ${want.w[k]![i]}`)));
  } finally {
    f.dispose();
  }
});

test('the native MLP evaluation gives each row its loss, whether the head was right, and the logits', { skip }, async () => {
  const b = await native();
  const f = fixture(b);
  try {
    const id = b.addon.mlpEval(f.write(f.words({ optimizer: false })), true);
    const out = b.addon.read(id) as Float32Array;
    b.addon.free(id);
    assert.equal(out.length, f.rows.length * 4);
    const want = referenceStep(f, 0, 0, 0).loss * f.rows.length;
    assert.ok(Math.abs(out[0]! + out[4]! - want) < 1e-6, 'the rows sum to the batch loss');
    for (let i = 0; i < f.rows.length; i++) {
      const [z0, z1] = [out[i * 4 + 2]!, out[i * 4 + 3]!];
      const label = f.values.labels[f.rows[i]! * 2 + 1] === 1 ? 1 : 0;
      assert.equal(out[i * 4 + 1], (z1 > z0 ? 1 : 0) === label ? 1 : 0);
    }
  } finally {
    f.dispose();
  }
});

test('the native MLP evaluation takes the first NaN logit as the top class, as the native ArgMax does', { skip }, async () => {
  const b = await native();
  const f = fixture(b);
  const nanKernel = tf.tensor2d([0.7, NaN, -0.3, NaN], [2, 2]);
  try {
    const words = f.words({ optimizer: false });
    words[f.at.headKernel] = b.id(nanKernel);
    const id = b.addon.mlpEval(f.write(words), false);
    const out = b.addon.read(id) as Float32Array;
    b.addon.free(id);
    const argMax = tf.tidy(() => tf.argMax(tf.tensor2d([0.1, NaN, 0.2, NaN], [2, 2]), 1).dataSync());
    assert.deepEqual(Array.from(argMax), [1, 1], 'the native backend\'s ArgMax');
    // Class 1 is the top of every row: right where the label is 1 (the second row).
    assert.deepEqual([out[1], out[3]], [0, 1]);
  } finally {
    nanKernel.dispose();
    f.dispose();
  }
});

test('a bad plan is refused with a message, and changes or leaves nothing', { skip }, async () => {
  const b = await native();
  const f = fixture(b);
  const cases: [string, (w: number[]) => void, RegExp][] = [
    ['unknown version', (w) => void (w[0] = 1), /unknown version/],
    ['no encoder', (w) => void (w[1] = 0), /encoder count/],
    ['a labels id that does not exist', (w) => void (w[3] = 1e9), /does not exist/],
    ['a batch larger than the data', (w) => void (w[4] = 99), /batch size/],
    ['a row out of range', (w) => void (w[f.at.rows] = 3), /row 0/],
    ['a negative row', (w) => void (w[f.at.rows + 1] = -1), /row 1/],
    ['a fractional row', (w) => void (w[f.at.rows] = 0.5), /row 0/],
    ['a kernel of the wrong width', (w) => void (w[f.at.encoderKernel] = f.ids.w3), /kernel has shape/],
    ['a bias of the wrong size', (w) => void (w[f.at.encoderKernel + 1] = f.ids.w1), /bias has shape/],
    ['an int32 kernel', (w) => void (w[f.at.encoderKernel] = f.ids.int), /must be float32/],
    ['an activation code out of range', (w) => void (w[f.at.encoderKernel + 2] = 5), /activation/],
    ['a head source out of range', (w) => void (w[f.at.head] = 1), /source/],
    ['a head with outputs for other classes', (w) => void ([w[f.at.headKernel], w[f.at.headKernel + 1]] = [f.ids.w23, f.ids.b3]), /3 outputs for 2 classes/],
    ['a NaN coefficient', (w) => void (w[f.at.coef] = NaN), /coefficient must be finite/],
    ['a dropout rate of 1', (w) => void (w[f.at.encoderDropout] = 1), /dropout rate must be in \[0, 1\)/],
    ['a negative dropout rate', (w) => void (w[f.at.encoderDropout] = -0.5), /dropout rate must be in \[0, 1\)/],
    ['a fractional dropout seed', (w) => void (w[f.at.encoderDropout + 1] = 1.5), /dropout seed/],
    ['one weight as two variables', (w) => void (w[f.at.headKernel] = f.ids.w1), /tensor \d+ is passed as two variables or states/],
    ['the data as a variable', (w) => void (w[f.at.encoderKernel] = f.ids.x), /is both data and a variable or state/],
    ['the labels as optimizer state', (w) => void (w[f.at.states] = f.ids.labels), /is both data and a variable or state/],
    ['a weight as its own state', (w) => void (w[f.at.states] = f.ids.w1), /two variables or states/],
    ['a state of the wrong size', (w) => void (w[f.at.states] = f.ids.w23), /does not match its variable/],
    ['an optimizer kind out of range', (w) => void (w[f.at.states - 1] = 2), /optimizer kind/],
    ['numbers left over', (w) => void w.push(0), /left over/],
    ['a plan cut short', (w) => void w.splice(w.length - 3), /ends before/],
  ];
  try {
    const weights = f.weights();
    const live = nativeLiveTensors();
    for (const [name, corrupt, message] of cases) {
      const words = f.words();
      corrupt(words);
      assert.throws(() => b.addon.mlpStep(f.write(words), 0.5, 0.9, 0, 0.9, 0.999, 1e-7, 0.1, 0.001), message, name);
      assert.deepEqual(f.weights(), weights, `${name}: the weights changed`);
      assert.equal(nativeLiveTensors(), live, `${name}: a tensor was left behind`);
    }
    assert.throws(() => b.addon.mlpStep(-1, 0.5, 0.9, 0, 0.9, 0.999, 1e-7, 0.1, 0.001), /negative plan length/);
    assert.throws(() => b.addon.mlpStep(b.io.length + 1, 0.5, 0.9, 0, 0.9, 0.999, 1e-7, 0.1, 0.001), /io buffer overflow/);
    assert.throws(() => b.addon.mlpEval(f.write(f.words()), false), /left over/, 'an evaluation plan has no optimizer part');
  } finally {
    f.dispose();
  }
});

test('seeded random corruptions of a valid plan: an error or a step, never a crash or a leak', { skip }, () => {
  const runner = fileURLToPath(new URL('./mlp-fuzz-runner.js', import.meta.url));
  const cases = Number(process.env['GBLEND_FUZZ_CASES'] ?? 20_000) / 10;
  const child = spawnSync(process.execPath, [runner, '5', String(cases)], { encoding: 'utf8', timeout: 120_000 });
  const lines = child.stdout.trim().split('\n');
  const last = lines.filter((l) => l.startsWith('@')).pop();
  const summary = lines.at(-1) ?? '';
  assert.ok(child.status === 0 && summary.startsWith('{'), `the runner died at case ${last} (status ${child.status}, signal ${child.signal}): ${child.stderr.slice(-2000)}`);
  const { refused, stepped, problems } = JSON.parse(summary) as { refused: number; stepped: number; problems: string[] };
  assert.deepEqual(problems, []);
  assert.ok(refused > cases / 4 && stepped > cases / 50, `both outcomes occur (${refused} refused, ${stepped} stepped)`);
});
