/**
 * Issue 8, resume: a run stopped at any epoch boundary and taken up in a fresh run object from its
 * checkpoint (through the file encoding) ends with the same numbers, bit for bit, as the run that was
 * never stopped: weights, test metrics and every event after the boundary. One case per kind of state:
 * dropout's stream, G-Blend's estimates, a method's own stream (OGM-GE) and state (early stopping), Adam's slots.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import type { RunState } from '../../src/train/checkpoint.js';
import { decodeRunState, encodeRunState, readCheckpoint, writeCheckpoint } from '../../src/train/checkpoint-file.js';
import type { RunEvent } from '../../src/train/events.js';
import { InterruptedError } from '../../src/train/interrupted.js';
import { trainOnDataset, type RunCheckpoints } from '../../src/train/run.js';
import { nativeSkip } from '../engine/native/helpers.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'gblend-resume-'));
let files = 0;

/** Through a real file: readFile's Buffer is a view into a shared pool, which the decoder must not misread. */
async function throughFile(state: RunState): Promise<RunState> {
  const file = join(dir, `${files++}.ckpt`);
  await writeCheckpoint(file, state);
  return (await readCheckpoint(file))!;
}

const dataset = tinyDataset([{ name: 'a', shape: [5], separation: 1.2 }, { name: 'b', shape: [3], separation: 0.8 }], 15, 3);

/** Events without wall times, which no two runs share. */
const timeless = (events: RunEvent[]): unknown[] => events.map((e) => ({ ...e, seconds: 0 }));

async function run(options: TrainConfigInput, checkpoints: RunCheckpoints = {}): Promise<{ events: RunEvent[]; test: unknown; weights: Float32Array[] }> {
  const config = parseTrainConfig({ epochs: 5, batchSize: 8, model: { mlpHidden: [8], fusedHidden: 8 }, ...options });
  const events: RunEvent[] = [];
  const trained = await trainOnDataset(config, dataset, createMethod(config.method, config.methodOptions), { onEvent: (e) => void events.push(e) }, checkpoints);
  const weights = trained.model.variables().map((v) => v.dataSync() as Float32Array);
  trained.model.dispose();
  return { events, test: trained.test, weights };
}

const cases: [string, TrainConfigInput][] = [
  ['naive with dropout', { method: 'naive', model: { mlpHidden: [8], fusedHidden: 8, dropout: 0.3, fusedDropout: 0.2 } }],
  ['gblend-online, estimates keyed by epoch', { method: 'gblend-online', blend: { warmupEpochs: 2, superEpochEpochs: 2 } }],
  ['ogm-ge, the method stream', { method: 'ogm-ge' }],
  ['early-stop, the method state', { method: 'early-stop', methodOptions: { 'early-stop': { patience: null } } }],
  ['adam slots', { method: 'aux', optimizer: { kind: 'adam', lr: 0.01 } }],
  ['uncertainty, the method variables', { method: 'uncertainty' }],
  ['pmr, the last prototypes', { method: 'pmr' }],
  ['agm, the running scores', { method: 'agm' }],
  ['mmpareto, per-head gradients', { method: 'mmpareto' }],
  ['inforeg, the information history (window 2)', { method: 'inforeg', methodOptions: { inforeg: { window: 2, threshold: 0.3 } } }],
  ['pretrain, the phase switch', { method: 'pretrain' }],
  ['mid fusion', { method: 'aux', model: { mlpHidden: [8, 6], fusedHidden: 8, fusion: 'mid' } }],
  ['lmf fusion', { method: 'naive', model: { mlpHidden: [8], fusedHidden: 8, fusion: 'lmf' } }],
];

for (const backend of ['native', 'wasm'] as const) {
  for (const [name, options] of cases) {
    // Native skips (with its reason) only where the addon cannot be built; with CI=true and libtorch it fails.
    test(`${backend}: ${name}: resumed at every epoch boundary, bit for bit the uninterrupted run`, { skip: backend === 'native' ? nativeSkip() : false }, async () => {
      await initEngine({ backend });
      const states: RunState[] = [];
      const whole = await run(options, { save: async (s) => void states.push(await throughFile(s)) });
      assert.equal(states.length, 4);
      for (const state of states) {
        const resumed = await run(options, { resume: state });
        assert.deepEqual(resumed.weights, whole.weights, `from epoch ${state.epoch}`);
        assert.deepEqual(resumed.test, whole.test, `from epoch ${state.epoch}`);
        const after = whole.events.findIndex((e) => e.event === 'epoch' && e.epoch === state.epoch) + 1;
        assert.deepEqual(timeless(resumed.events), timeless(whole.events.slice(after)), `from epoch ${state.epoch}`);
      }
    });
  }
}

test('a stop signal ends the run at a step boundary with InterruptedError; its last checkpoint resumes it', async () => {
  await initEngine({ backend: 'wasm' });
  const options: TrainConfigInput = { method: 'gblend-online', blend: { warmupEpochs: 2, superEpochEpochs: 2 } };
  const whole = await run(options);
  let saved: RunState | null = null;
  const stop = { stopped: false };
  await assert.rejects(run(options, { stop, save: async (s) => void ((saved = s), (stop.stopped = s.epoch === 2)) }), InterruptedError);
  assert.equal(saved!.epoch, 2);
  const resumed = await run(options, { resume: saved });
  assert.deepEqual(resumed.weights, whole.weights);
  assert.deepEqual(resumed.test, whole.test);
});

test('a checkpoint of other options or another run is refused with a one-line error', async () => {
  await initEngine({ backend: 'wasm' });
  const states: RunState[] = [];
  await run({ method: 'naive' }, { save: async (s) => void states.push(s) });
  await assert.rejects(run({ method: 'naive', optimizer: { lr: 0.5 } }, { resume: states[0]!, where: 'ck' }), /^CheckpointError: ck: the checkpoint was made with other options/);
  await assert.rejects(run({ method: 'aux' }, { resume: states[0]!, where: 'ck' }), /ck: the checkpoint is of naive seed 0, not aux seed 0/);
  assert.throws(() => decodeRunState(encodeRunState(states[0]!).subarray(0, 200), 'ck'), /^CheckpointError: ck: not a gblend checkpoint or damaged/);
});
