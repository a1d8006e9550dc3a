/**
 * loadDataset: a dataset directory (dataset.json plus one .npy or .csv per modality, labels, split) to a
 * validated in-memory Dataset. loadPredictionData reads the same folders but lets the labels be absent,
 * for running a saved model on new data. The only file in src/data that touches the disk, and it only
 * reads. Files are read one after another so that the first error is always the same one.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from './csv.js';
import { csvToModality } from './csv-modality.js';
import { DataError, quote } from './errors.js';
import { JsonSyntaxError, parseJson } from './json.js';
import { parseManifest, type Manifest, type ModalitySpec } from './manifest.js';
import { npyToLabels, npyToModality, npyToSplit, readNpy } from './npy-roles.js';
import type { Dataset, LabelRule, ModalityData, PredictionData } from './types.js';
import { rowsText, validateWith } from './validate.js';

const MANIFEST = 'dataset.json';

/** One label source: labels.npy or a CSV's label column. */
interface LabelSource {
  file: string;
  description: string;
  labels: Int32Array;
  /** How to name row i of this source in a message (CSV sources give the line too). */
  row(i: number): string;
}

/** For training: labels are required (a labels .npy or a CSV label column). */
export async function loadDataset(dir: string): Promise<Dataset> {
  return loadFolder(dir, 'required');
}

/** For prediction: like loadDataset, with every check, but without labels `labels` is null. */
export async function loadPredictionData(dir: string): Promise<PredictionData> {
  return loadFolder(dir, 'optional');
}

// With 'required' the labels are never null: the missing-labels error is thrown first. The overloads
// carry that to the type, so loadDataset needs no cast.
async function loadFolder(dir: string, rule: 'required'): Promise<Dataset>;
async function loadFolder(dir: string, rule: LabelRule): Promise<PredictionData>;
async function loadFolder(dir: string, rule: LabelRule): Promise<PredictionData> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => null);
  if (info === null || !info.isDirectory()) {
    const where = root === dir ? '' : ` (${root})`;
    throw new DataError('DIR_NOT_FOUND', dir, null, `${info === null ? 'no such directory' : 'not a directory'}${where}`);
  }
  const manifest = await readManifest(root);

  const modalities: ModalityData[] = [];
  const sources: LabelSource[] = [];
  for (const spec of manifest.modalities) {
    const bytes = await readDataFile(root, spec.file, `modalities.${spec.name}.file`);
    if (spec.format === 'npy') {
      modalities.push(npyToModality(readNpy(bytes, spec.file, `modalities.${spec.name}`), spec.name, spec.encoder, spec.file));
    } else {
      const csv = loadCsv(bytes, spec, manifest.classes);
      modalities.push(csv.modality);
      if (csv.source !== null) sources.push(csv.source);
    }
  }
  if (manifest.labels !== null) {
    const arr = readNpy(await readDataFile(root, manifest.labels, 'labels'), manifest.labels, 'labels');
    const file = manifest.labels;
    sources.unshift({ file, description: file, labels: npyToLabels(arr, file), row: (i) => `row ${i}` });
  }
  const [reference = null, ...others] = sources;
  if (reference === null && rule === 'required') {
    throw new DataError('MANIFEST_KEY_MISSING', MANIFEST, 'labels', "missing required key 'labels' (a labels .npy file), or give the CSV modalities a 'labelColumn'");
  }
  if (reference !== null) for (const other of others) checkAgreement(reference, other, manifest.classes);

  let split: Uint8Array | null = null;
  if (manifest.split !== null) {
    split = npyToSplit(readNpy(await readDataFile(root, manifest.split, 'split'), manifest.split, 'split'), manifest.split);
  }

  const ds: PredictionData = {
    name: manifest.name,
    dir: root,
    classes: manifest.classes,
    modalities,
    labels: reference?.labels ?? null,
    split,
    description: manifest.description,
    license: manifest.license,
    source: manifest.source,
  };
  const fileOf = new Map(manifest.modalities.map((m) => [m.name, m.file]));
  validateWith(ds, {
    manifest: MANIFEST,
    modality: (name) => fileOf.get(name) ?? MANIFEST,
    // Without labels these two are never used in a message: rows are compared with the first modality.
    labelsFile: reference?.file ?? MANIFEST,
    labelsDescription: reference?.description ?? 'the labels',
    splitFile: manifest.split ?? MANIFEST,
  }, rule);
  return ds;
}

/**
 * The files a dataset folder is made of, dataset.json first, then every file it names, as absolute
 * paths: what a content hash covers (other files in the folder, a README, do not change the data).
 */
export async function datasetFiles(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const manifest = await readManifest(root);
  const named = [...manifest.modalities.map((m) => m.file), manifest.labels, manifest.split].filter((f): f is string => f !== null);
  return [path.join(root, MANIFEST), ...named.map((f) => path.resolve(root, f))];
}

async function readManifest(root: string): Promise<Manifest> {
  const file = path.join(root, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') throw new DataError('MANIFEST_MISSING', MANIFEST, null, `no ${MANIFEST} in ${root}`);
    throw new DataError('READ_ERROR', MANIFEST, null, `cannot read ${file}: ${errno(e) ?? String(e)}`);
  }
  try {
    return parseManifest(parseJson(text), MANIFEST);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new DataError('MANIFEST_JSON', MANIFEST, null, `invalid JSON: ${e.message}`);
    throw e;
  }
}

/** Reads a file named in the manifest, relative to the dataset directory. */
async function readDataFile(root: string, name: string, field: string): Promise<Uint8Array> {
  const full = path.resolve(root, name);
  try {
    return await readFile(full);
  } catch (e) {
    const code = errno(e);
    if (code === 'ENOENT') throw new DataError('FILE_MISSING', name, field, `file not found (${full}), named in ${MANIFEST} as '${field}'`);
    if (code === 'EISDIR') throw new DataError('READ_ERROR', name, field, `is a directory, not a file (${full})`);
    throw new DataError('READ_ERROR', name, field, `cannot read ${full}: ${code ?? String(e)}`);
  }
}

function loadCsv(bytes: Uint8Array, spec: ModalitySpec, classes: string[]): { modality: ModalityData; source: LabelSource | null } {
  const field = `modalities.${spec.name}`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError('CSV_SYNTAX', spec.file, field, 'the file is not UTF-8 text');
  }
  const table = parseCsv(text, spec.file, field);
  const csv = csvToModality(table, spec, classes);
  if (csv.labels === null) return { modality: csv.modality, source: null };
  const first = spec.header ? 1 : 0;
  return {
    modality: csv.modality,
    source: {
      file: spec.file,
      description: `label column ${csv.labelColumnIndex} of ${spec.file}`,
      labels: csv.labels,
      row: (i) => `line ${table.lines[i + first]} (row ${i})`,
    },
  };
}

function checkAgreement(ref: LabelSource, other: LabelSource, classes: readonly string[]): void {
  if (other.labels.length !== ref.labels.length) {
    throw new DataError('ROW_MISMATCH', other.file, 'labels', `${other.description} has ${rowsText(other.labels.length)} but ${ref.description} has ${ref.labels.length}`);
  }
  const name = (k: number): string => (classes[k] === String(k) ? `class ${k}` : `class ${k} (${quote(classes[k] ?? '?')})`);
  for (let i = 0; i < ref.labels.length; i++) {
    if (other.labels[i] !== ref.labels[i]) {
      throw new DataError('LABEL_CONFLICT', other.file, 'labels',
        `${other.description} has ${name(other.labels[i]!)} at ${other.row(i)} but ${ref.description} has ${name(ref.labels[i]!)}; label sources must agree row by row`);
    }
  }
}

function errno(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;
}
