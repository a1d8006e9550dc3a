/**
 * Every method trains with every fusion it is defined for (two epochs on a tiny dataset, finite
 * losses, a test result for each head), and refuses the others in one line before training.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { train } from '../../src/api/train.js';
import { UserError } from '../../src/core/user-error.js';
import { METHODS } from '../../src/methods/registry.js';
import { FUSION_NAMES } from '../../src/models/fusions/names.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([{ name: 'v', shape: [5], separation: 1.2 }, { name: 'img', shape: [6, 6], separation: 0.6 }], 8, 3);
const options = {
  epochs: 2, batchSize: 8, backend: 'auto' as const,
  model: { mlpHidden: [8, 6], convChannels: [2], convFeatures: 6, fusedHidden: 6, lmfRank: 2 },
  blend: { warmupEpochs: 1, superEpochEpochs: 1 },
};
const names = METHODS.map((m) => (m.pattern ? `${m.name}:img` : m.name));

for (const fusion of FUSION_NAMES) {
  test(`fusion ${fusion}: every method trains, or is refused in one line`, async () => {
    for (const method of names) {
      const defined = METHODS.find((m) => method.startsWith(m.name))!.create(method.includes(':') ? 'img' : null, {}).fusions;
      const run = train({ ...options, method, model: { ...options.model, fusion } }, {}, dataset);
      if (defined !== undefined && !defined.includes(fusion)) {
        await assert.rejects(run, (e: unknown) => e instanceof UserError && !(e as Error).message.includes('\n'), `${method} with ${fusion}`);
        continue;
      }
      const done = await run;
      assert.ok(Object.keys(done.test).length > 0 && Object.values(done.test).every((t) => Number.isFinite(t.acc)), `${method} with ${fusion}`);
      done.model.dispose();
    }
  });
}
