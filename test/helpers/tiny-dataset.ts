/**
 * Small in-memory datasets for unit tests of the training code: classes are Gaussian clusters
 * whose separation sets how informative each modality is.
 */
import { createRng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/data/index.js';

export interface TinyModality {
  name: string;
  shape: number[];
  /** Distance between class means relative to the noise: 0 = no information. */
  separation: number;
}

export function tinyDataset(modalities: TinyModality[], perClass = 20, numClasses = 3, seed = 1): Dataset {
  const rng = createRng(seed);
  const n = perClass * numClasses;
  const labels = new Int32Array(n).map((_, i) => i % numClasses);
  return {
    name: 'tiny',
    dir: null,
    classes: Array.from({ length: numClasses }, (_, c) => `c${c}`),
    modalities: modalities.map((m) => {
      const size = m.shape.reduce((a, b) => a * b, 1);
      const centers = Array.from({ length: numClasses }, () => Array.from({ length: size }, () => rng.normal() * m.separation));
      const data = new Float32Array(n * size);
      for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) data[i * size + j] = centers[labels[i]!]![j]! + rng.normal();
      return { name: m.name, shape: m.shape, data, encoder: null, sourceDtype: 'float32' };
    }),
    labels,
    split: null,
    description: null,
    license: null,
    source: null,
  };
}

/**
 * Writes a dataset as a real dataset folder (dataset.json + .npy files) and returns its path.
 * `withLabels: false` leaves labels.npy and the "labels" key out, as for new data to predict on.
 */
export async function writeDatasetDir(ds: Dataset, { withLabels = true }: { withLabels?: boolean } = {}): Promise<string> {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { serializeNpy } = await import('../../src/data/npy.js');
  const dir = await mkdtemp(join(tmpdir(), 'gblend-tiny-'));
  const n = ds.labels.length;
  for (const m of ds.modalities) {
    await writeFile(join(dir, `${m.name}.npy`), serializeNpy({ dtype: 'float32', shape: [n, ...m.shape], data: m.data }));
  }
  if (withLabels) await writeFile(join(dir, 'labels.npy'), serializeNpy({ dtype: 'int32', shape: [n], data: ds.labels }));
  const manifest = {
    name: ds.name,
    classes: ds.classes,
    modalities: Object.fromEntries(ds.modalities.map((m) => [m.name, { file: `${m.name}.npy` }])),
    ...(withLabels ? { labels: 'labels.npy' } : {}),
  };
  await writeFile(join(dir, 'dataset.json'), JSON.stringify(manifest));
  return dir;
}
