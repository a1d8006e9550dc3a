/**
 * End to end on real data (UCI mfeat): Gradient-Blending gives a weak, easily memorised modality a
 * small weight. The weak view is real mfeat `fou` features whose rows are mostly shuffled: a 76-d
 * input that a network memorises quickly while it generalizes little.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { train } from '../../src/api/train.js';
import { createRng } from '../../src/core/rng.js';
import { loadDataset, type Dataset } from '../../src/data/index.js';
import type { BlendEstimateEvent } from '../../src/train/events.js';
import { mfeatDataset, requireSharedData } from '../helpers/shared-data.js';

/** Keeps `keep` of the rows of modality `name` aligned with their labels and shuffles the rest. */
function weaken(ds: Dataset, name: string, keep: number, seed: number): Dataset {
  const m = ds.modalities.find((x) => x.name === name)!;
  const size = m.shape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const moved = Array.from({ length: ds.labels.length }, (_, i) => i).filter(() => rng.next() >= keep);
  const targets = rng.shuffle(moved.slice());
  const data = m.data.slice();
  moved.forEach((src, i) => data.set(m.data.subarray(src * size, (src + 1) * size), targets[i]! * size));
  return { ...ds, modalities: ds.modalities.map((x) => (x.name === name ? { ...x, name: 'weak', data } : x)) };
}

test('mfeat: the weak, easily memorised modality gets a small offline weight; fused predicts well', async (t) => {
  if (requireSharedData(t) === null) return;
  const ds = weaken(await loadDataset(await mfeatDataset(['fac', 'fou'])), 'fou', 0.2, 11);
  for (const seed of [0, 1]) {
    const estimates: BlendEstimateEvent[] = [];
    const run = await train({ method: 'gblend-offline', epochs: 10, seed, testFraction: 0.5 }, {
      onEvent: (e) => void (e.event === 'blend_estimate' && estimates.push(e)),
    }, ds);
    run.model.dispose();
    assert.equal(estimates.length, 1);
    const { weights, heads } = estimates[0]!;
    assert.ok(weights.weak! < 0.05, `seed ${seed}: weak modality weight ${weights.weak}`);
    assert.ok(weights.fac! > 0.1 && weights.fused! > 0.1, `seed ${seed}: weights ${JSON.stringify(weights)}`);
    // The weak copy overfits: its train loss falls much more than its validation loss.
    assert.ok(heads.weak!.dO > 3 * Math.abs(heads.fac!.dO), `seed ${seed}: dO weak ${heads.weak!.dO} vs fac ${heads.fac!.dO}`);
    assert.ok(run.test.fused!.acc > 0.9, `seed ${seed}: fused test top-1 ${run.test.fused!.acc}`);
    assert.ok(run.test.weak!.acc < 0.6, `seed ${seed}: weak head test top-1 ${run.test.weak!.acc}`);
  }
});
