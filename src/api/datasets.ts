/** Built-in datasets that ship inside the package, and resolution of `--data` values. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/user-error.js';
import { DataError, loadDataset, loadPredictionData, selectModalities, type Dataset, type PredictionData } from '../data/index.js';

/** The package root: this file is at dist/src/api/datasets.js. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const BUILTIN_DATASETS: Record<string, string> = {
  avdigits: join(PACKAGE_ROOT, 'data', 'avdigits'),
};

export const DEFAULT_DATASET = 'avdigits';

/** A built-in name, or a path to a dataset folder. A folder of the same name as a built-in wins. */
export function resolveDatasetDir(data: string): string {
  if (existsSync(data)) return data;
  return BUILTIN_DATASETS[data] ?? data;
}

/** `data` as another machine finds it: a built-in name stays a name, a folder becomes an absolute path. */
export function datasetReference(data: string): string {
  return existsSync(data) ? resolve(data) : data;
}

export async function openDataset(data: string, modalities: string[] | null): Promise<Dataset> {
  const ds = await loadDataset(resolveDatasetDir(data));
  return modalities === null ? ds : selectOption(ds, modalities);
}

/**
 * The option `modalities` applied to `ds`: a name the dataset does not have is the option's fault, not
 * the dataset's, so the error names the option (its key; the CLI names the flag or the config file).
 */
export function selectOption(ds: Dataset, modalities: string[]): Dataset {
  try {
    return selectModalities(ds, modalities);
  } catch (err) {
    if (!(err instanceof DataError) || err.field !== 'modalities') throw err;
    // "unknown modality 'zz'; available: 'a', 'b'", without the dataset's file in front.
    throw new UserError(err.code, { key: 'modalities', rest: `: ${err.detail}` });
  }
}

/** Like openDataset, for running a saved model: the data may have no labels (then `labels` is null). */
export async function openPredictionData(data: string): Promise<PredictionData> {
  return loadPredictionData(resolveDatasetDir(data));
}
