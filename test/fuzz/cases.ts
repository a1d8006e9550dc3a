/**
 * What one fuzz case is (a dataset folder, a config file, or a set of CLI flag values), how it is
 * generated, and how it is checked: it must end in a valid result or in a typed, one-line UserError
 * naming the file (or flag), never another exception.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { checkFlags, COMPARE_ONLY_FLAGS, TRAIN_FLAGS } from '../../src/cli/options.js';
import { parseCompareConfig, parseTrainConfig, readConfigObject } from '../../src/config/load.js';
import { UserError } from '../../src/core/user-error.js';
import { loadDataset, loadPredictionData, validateDataset } from '../../src/data/index.js';
import { serializeNpy } from '../../src/data/npy.js';
import { breakBytes, csvText, intNpy, validNpy } from './arbitraries.js';

export type FuzzCase =
  | { kind: 'dataset'; manifest: string; files: Record<string, Uint8Array | string> }
  | { kind: 'config'; name: string; text: string }
  | { kind: 'flags'; flags: Record<string, string> };

/** Absent (undefined) in `absent` out of 5 cases, else drawn from `a`. */
const opt = <T>(a: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 5 - absent, arbitrary: a });
const wild = fc.jsonValue({ maxDepth: 2 });

const modality = (rows: fc.Arbitrary<number>) => fc.record({
  format: fc.constantFrom('npy', 'csv'),
  encoder: opt(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('mlp', 'conv', null) }, wild)),
  header: opt(fc.oneof({ weight: 4, arbitrary: fc.boolean() }, wild)),
  labelColumn: opt(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(-1, 'y', 0, 7, null) }, wild)),
  npy: breakBytes(validNpy(rows)),
  csv: csvText(rows),
  missing: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, fc.constant(true)),
});

const datasetCase: fc.Arbitrary<FuzzCase> = fc.integer({ min: 0, max: 7 }).chain((n) => {
  // Mostly one row count for every file, so that whole datasets load; sometimes not.
  const rows = fc.oneof({ weight: 5, arbitrary: fc.constant(n) }, fc.integer({ min: 0, max: 7 }));
  return fc.record({
    name: fc.oneof({ weight: 9, arbitrary: fc.constant('fuzz') }, wild),
    classes: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<unknown>(['c0', 'c1'], 2, 3, ['1', '2', '3']) }, fc.constantFrom<unknown>(['a', 'a'], 1, []), wild),
    modalities: fc.array(modality(rows), { minLength: 1, maxLength: 3 }),
    labels: opt(breakBytes(intNpy(rows, 3))),
    split: opt(breakBytes(intNpy(rows, 1))),
    topLabelColumn: opt(fc.oneof(fc.constantFrom(-1, 'y'), wild)),
    extra: opt(fc.tuple(fc.constantFrom('lables', 'description', 'license', 'source', 'modalities'), wild), 4),
    noise: opt(fc.oneof(fc.string({ maxLength: 30 }), fc.nat()), 4),
  });
}).map((c) => {
  const files: Record<string, Uint8Array | string> = {};
  const modalities: Record<string, unknown> = {};
  c.modalities.forEach((m, i) => {
    const file = `m${i}.${m.format}`;
    const spec: Record<string, unknown> = { file };
    if (m.encoder !== undefined) spec.encoder = m.encoder;
    if (m.format === 'csv' && m.header !== undefined) spec.header = m.header;
    if (m.format === 'csv' && m.labelColumn !== undefined) spec.labelColumn = m.labelColumn;
    if (!m.missing) files[file] = m.format === 'csv' ? m.csv : m.npy;
    modalities[`m${i}`] = spec;
  });
  const manifest: Record<string, unknown> = { name: c.name, classes: c.classes, modalities };
  if (c.labels !== undefined) [manifest.labels, files['labels.npy']] = ['labels.npy', c.labels];
  if (c.split !== undefined) [manifest.split, files['split.npy']] = ['split.npy', c.split];
  if (c.topLabelColumn !== undefined) manifest.labelColumn = c.topLabelColumn;
  if (c.extra !== undefined) manifest[c.extra[0]] = c.extra[1];
  let text = JSON.stringify(manifest);
  if (typeof c.noise === 'string') text = c.noise;
  else if (typeof c.noise === 'number') text = text.slice(0, c.noise % (text.length + 1));
  return { kind: 'dataset' as const, manifest: text, files };
});

/** A dataset that should load: finite float32 .npy files and numeric CSVs, labels in range, one row count. */
const cleanDataset: fc.Arbitrary<FuzzCase> = fc.integer({ min: 1, max: 7 }).chain((n) => fc.record({
  classes: fc.constantFrom<unknown>(['c0', 'c1'], 2, 3, ['1', '2', '3']),
  modalities: fc.array(fc.oneof(
    fc.integer({ min: 1, max: 3 }).chain((k) => fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: n * k, maxLength: n * k })
      .map((values) => ({ file: 'npy', bytes: serializeNpy({ dtype: 'float32', shape: [n, k], data: Float32Array.from(values) }) }))),
    csvText(fc.constant(n)).map((text) => ({ file: 'csv', bytes: text })),
  ), { minLength: 1, maxLength: 3 }),
  labels: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
  split: opt(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n })),
  broken: opt(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 40 })), 4),
})).map((c) => {
  const files: Record<string, Uint8Array | string> = { 'labels.npy': serializeNpy({ dtype: 'int32', shape: [c.labels.length], data: Int32Array.from(c.labels) }) };
  const modalities: Record<string, unknown> = {};
  c.modalities.forEach((m, i) => {
    files[`m${i}.${m.file}`] = m.bytes;
    modalities[`m${i}`] = m.file === 'csv' ? { file: `m${i}.csv`, labelColumn: null } : { file: `m${i}.npy` };
  });
  if (c.split !== undefined) files['split.npy'] = serializeNpy({ dtype: 'uint8', shape: [c.split.length], data: Uint8Array.from(c.split) });
  // One file replaced by noise: the error must name that file.
  if (c.broken !== undefined) files[Object.keys(files)[c.broken[0] % Object.keys(files).length]!] = c.broken[1];
  const manifest = { name: 'fuzz', classes: c.classes, modalities, labels: 'labels.npy', ...(c.split === undefined ? {} : { split: 'split.npy' }) };
  return { kind: 'dataset' as const, manifest: JSON.stringify(manifest), files };
});

const CONFIG_KEYS = ['data', 'modalities', 'method', 'epochs', 'batchSize', 'seed', 'valFraction', 'testFraction', 'optimizer', 'model', 'blend', 'backend', 'threads', 'methods', 'seeds', 'out', 'epochz'];
const plausible = fc.oneof(fc.constantFrom<unknown>(0, 1, -1, 0.5, 20, 'naive', 'sgd', 'se', ['a'], ['naive', 'naive'], null, { lr: -1 }, { kind: 'adam' }, { floor: 'x' }, { mlpHidden: [] }), wild);

const configCase: fc.Arbitrary<FuzzCase> = fc.record({
  options: fc.dictionary(fc.constantFrom(...CONFIG_KEYS), plausible, { maxKeys: 5 }),
  format: fc.constantFrom('yaml', 'yml', 'json'),
  noise: opt(fc.oneof(fc.string({ maxLength: 30 }), fc.nat()), 4),
}).map(({ options, format, noise }) => {
  let text = format === 'json' ? JSON.stringify(options) : toYaml(options);
  if (typeof noise === 'string') text = noise;
  else if (typeof noise === 'number') text = text.slice(0, noise % (text.length + 1));
  return { kind: 'config' as const, name: `config.${format}`, text };
});

const FLAG_NAMES = ['epochs', 'lr', 'batchSize', 'methods', 'seeds', 'modalities', 'blendFloor', 'valFraction', 'threads', 'out', 'optimizer'];
const flagsCase: fc.Arbitrary<FuzzCase> = fc
  .dictionary(fc.constantFrom(...FLAG_NAMES), fc.oneof(fc.constantFrom('0', '-1', '1e400', 'NaN', '2.5', '3', 'naive,naive', 'naive', '', ',', 'se', 'adam'), fc.string({ maxLength: 8 })), { maxKeys: 4 })
  .map((flags) => ({ kind: 'flags' as const, flags }));

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof({ weight: 3, arbitrary: cleanDataset }, { weight: 4, arbitrary: datasetCase }, { weight: 3, arbitrary: configCase }, { weight: 1, arbitrary: flagsCase });

/** Tally of outcomes, so that a run can show it reached both valid results and each kind of error. */
export type Outcomes = Record<string, number>;

function expectUserError(err: unknown, prefixes: string[]): string {
  if (!(err instanceof UserError)) throw new Error(`not a typed user error: ${err instanceof Error ? err.stack : String(err)}`);
  if (typeof err.code !== 'string' || err.code === '') throw new Error(`user error without a code: ${err.message}`);
  if (/[\r\n]/.test(err.message)) throw new Error(`message is not one line: ${JSON.stringify(err.message)}`);
  if (!prefixes.some((p) => err.message.startsWith(`${p}: `))) throw new Error(`message does not start with the file or flag (${prefixes.join(', ')}): ${err.message}`);
  // The schema library's own wording ("Too small: expected number to be >0") is not for users.
  // (\b: JSON.parse's own "Unexpected number in JSON" is a fine message.)
  if (/Invalid input|Too (small|big)|Invalid option|\bexpected (a |an |one of )?(number|string|int|array|object|boolean)/.test(err.message)) throw new Error(`raw validation wording: ${err.message}`);
  return err.code;
}

/** Runs `work`; returns 'ok' or the user error's code, and throws anything that breaks the contract. */
async function outcome(prefixes: string[], work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'ok';
  } catch (err) {
    return expectUserError(err, prefixes);
  }
}

const flagName = (f: string): string => `--${f.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;

/** Runs one case in the folder `dir` (created here), and returns its outcomes' names. */
export async function checkCase(c: FuzzCase, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  if (c.kind === 'dataset') {
    await writeFile(join(dir, 'dataset.json'), c.manifest);
    for (const [name, bytes] of Object.entries(c.files)) await writeFile(join(dir, name), bytes);
    // Messages name the file as dataset.json names it; every name the generator uses is listed.
    const files = [dir, 'dataset.json', 'labels.npy', 'split.npy', ...[0, 1, 2].flatMap((i) => [`m${i}.npy`, `m${i}.csv`])];
    const training = await outcome(files, async () => validateDataset(await loadDataset(dir), 'fuzz'));
    const prediction = await outcome(files, () => loadPredictionData(dir));
    return [`dataset ${training}`, `prediction data ${prediction}`];
  }
  if (c.kind === 'config') {
    const file = join(dir, c.name);
    await writeFile(file, c.text);
    return [`config ${await outcome([file], async () => {
      const options = await readConfigObject(file);
      parseTrainConfig(options, file);
      parseCompareConfig(options, file);
    })}`];
  }
  return [`flags ${await outcome(FLAG_NAMES.map(flagName), async () => checkFlags(c.flags, [...TRAIN_FLAGS, ...COMPARE_ONLY_FLAGS], parseCompareConfig))}`];
}
