/** Keep some modalities of a dataset, in the order asked for. Pure; the arrays are shared, not copied. */
import { DataError, listForMessage, quote } from './errors.js';
import type { Dataset } from './types.js';

export function selectModalities(ds: Dataset, names: string[]): Dataset {
  const file = ds.dir === null ? `dataset ${quote(ds.name)}` : 'dataset.json';
  const available = ds.modalities.map((m) => m.name);
  if (names.length === 0) {
    throw new DataError('NO_MODALITIES', file, 'modalities', `no modalities selected; available: ${listForMessage(available)}`);
  }
  const seen = new Set<string>();
  const modalities = names.map((name) => {
    if (seen.has(name)) throw new DataError('DUPLICATE_MODALITY', file, 'modalities', `modality ${quote(name)} is selected twice`);
    seen.add(name);
    const m = ds.modalities.find((x) => x.name === name);
    if (m === undefined) {
      throw new DataError('UNKNOWN_MODALITY', file, 'modalities', `unknown modality ${quote(name)}; available: ${listForMessage(available)}`);
    }
    return m;
  });
  return { ...ds, modalities };
}
