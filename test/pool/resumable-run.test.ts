/**
 * How often a run writes its checkpoint (src/pool/resumable-run.ts): at every epoch boundary with
 * GBLEND_CHECKPOINT_SECONDS=0, at most once per that many seconds otherwise, and, when the run is
 * stopped between two writes, its last finished epoch all the same.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { CHECKPOINT_SECONDS_ENV, checkpointSeconds, runResumable } from '../../src/pool/resumable-run.js';
import { readCheckpoint } from '../../src/train/checkpoint-file.js';
import { InterruptedError } from '../../src/train/interrupted.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([{ name: 'a', shape: [5], separation: 1.2 }, { name: 'b', shape: [3], separation: 0.8 }], 15, 3);
const config = parseTrainConfig({ method: 'naive', epochs: 6, batchSize: 8, model: { mlpHidden: [8], fusedHidden: 8 } });

/** Trains `config` with GBLEND_CHECKPOINT_SECONDS=`seconds`, stopping after epoch `stopAfter` if given; the writes seen and the checkpoint left. */
async function train(seconds: string, stopAfter: number | null): Promise<{ writes: number; interrupted: boolean; left: number | null }> {
  await initEngine({ backend: 'wasm' });
  const dir = mkdtempSync(join(tmpdir(), 'gblend-ckpt-'));
  const files = { checkpoint: join(dir, 'run.ckpt'), log: join(dir, 'run.jsonl') };
  const before = process.env[CHECKPOINT_SECONDS_ENV];
  process.env[CHECKPOINT_SECONDS_ENV] = seconds;
  const stop = { stopped: false };
  let writes = 0;
  let interrupted = false;
  try {
    await runResumable(config, dataset, files, { resume: false, stop, afterSave: async () => void writes++ }, {
      onEvent: (e) => {
        if (e.event === 'epoch' && e.epoch === stopAfter) stop.stopped = true;
      },
    }, async () => undefined);
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    interrupted = true;
  } finally {
    if (before === undefined) delete process.env[CHECKPOINT_SECONDS_ENV];
    else process.env[CHECKPOINT_SECONDS_ENV] = before;
  }
  const left = existsSync(files.checkpoint) ? (await readCheckpoint(files.checkpoint))!.epoch : null;
  return { writes, interrupted, left };
}

test('GBLEND_CHECKPOINT_SECONDS=0 writes a checkpoint at every epoch boundary but the last', async () => {
  assert.deepEqual(await train('0', null), { writes: 5, interrupted: false, left: null });
});

test('with an hour between writes, a short run writes none; stopped, it keeps its last finished epoch', async () => {
  assert.deepEqual(await train('3600', null), { writes: 0, interrupted: false, left: null });
  assert.deepEqual(await train('3600', 3), { writes: 1, interrupted: true, left: 3 });
});

test('GBLEND_CHECKPOINT_SECONDS: 1 s by default; anything but a number of seconds >= 0 is refused, naming it', () => {
  assert.equal(checkpointSeconds({}), 1);
  assert.equal(checkpointSeconds({ [CHECKPOINT_SECONDS_ENV]: ' ' }), 1);
  assert.equal(checkpointSeconds({ [CHECKPOINT_SECONDS_ENV]: '0' }), 0);
  assert.equal(checkpointSeconds({ [CHECKPOINT_SECONDS_ENV]: '2.5' }), 2.5);
  for (const bad of ['-1', 'soon', 'Infinity']) {
    assert.throws(() => checkpointSeconds({ [CHECKPOINT_SECONDS_ENV]: bad }), new RegExp(`^ConfigError: ${CHECKPOINT_SECONDS_ENV}: must be a number of seconds, 0 or more, got '${bad}'$`));
  }
});
