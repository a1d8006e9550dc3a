/**
 * CLI flags are a thin skin over the one config schema: descriptions and defaults come from it,
 * and flag values are assembled into an option object that the schema validates.
 */
import { Command, Option } from 'commander';
import { ConfigError, parseTrainConfig } from '../config/load.js';
import { trainConfigSchema } from '../config/schema.js';
import { METHODS } from '../methods/registry.js';

export interface FlagSpec {
  flag: string;
  /** Dotted path in the config object. */
  path: string;
  parse: 'int' | 'float' | 'string' | 'list' | 'bool' | 'map';
}

/** A zod field's kind, for a method option's flag: numbers parse as floats (the schema checks integers). */
function parseKind(field: unknown): FlagSpec['parse'] {
  let node = field as { type?: string; def?: { innerType?: unknown } } | undefined;
  while (node && (node.type === 'default' || node.type === 'prefault' || node.type === 'optional' || node.type === 'nullable')) node = node.def?.innerType as typeof node;
  return node?.type === 'boolean' ? 'bool' : node?.type === 'number' ? 'float' : node?.type === 'array' ? 'list' : 'string';
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One flag per method option, from the registry: `--ogm-ge-alpha <x>` sets methodOptions.ogm-ge.alpha. */
const METHOD_OPTION_FLAGS: FlagSpec[] = METHODS.flatMap((m) =>
  Object.entries(m.options?.shape ?? {}).map(([key, field]) => {
    const parse = parseKind(field);
    return { flag: `--${m.name}-${kebab(key)} ${parse === 'bool' ? '<true|false>' : '<value>'}`, path: `methodOptions.${m.name}.${key}`, parse };
  }),
);

/** Flags shared by `train` and `compare`. */
export const TRAIN_FLAGS: FlagSpec[] = [
  { flag: '--data <dir|name>', path: 'data', parse: 'string' },
  { flag: '--modalities <list>', path: 'modalities', parse: 'list' },
  { flag: '--epochs <n>', path: 'epochs', parse: 'int' },
  { flag: '--batch-size <n>', path: 'batchSize', parse: 'int' },
  { flag: '--val-fraction <f>', path: 'valFraction', parse: 'float' },
  { flag: '--test-fraction <f>', path: 'testFraction', parse: 'float' },
  { flag: '--train-examples <n>', path: 'trainExamples', parse: 'int' },
  { flag: '--input-noise <m=std,...>', path: 'inputNoise', parse: 'map' },
  { flag: '--optimizer <kind>', path: 'optimizer.kind', parse: 'string' },
  { flag: '--lr <rate>', path: 'optimizer.lr', parse: 'float' },
  { flag: '--momentum <m>', path: 'optimizer.momentum', parse: 'float' },
  { flag: '--weight-decay <wd>', path: 'optimizer.weightDecay', parse: 'float' },
  { flag: '--dropout <p>', path: 'model.dropout', parse: 'float' },
  { flag: '--fused-dropout <p>', path: 'model.fusedDropout', parse: 'float' },
  { flag: '--fusion <name>', path: 'model.fusion', parse: 'string' },
  { flag: '--lmf-rank <r>', path: 'model.lmfRank', parse: 'int' },
  { flag: '--blend-metric <metric>', path: 'blend.metric', parse: 'string' },
  { flag: '--blend-floor <kind>', path: 'blend.floor', parse: 'string' },
  { flag: '--blend-z <z>', path: 'blend.z', parse: 'float' },
  { flag: '--blend-gain <rule>', path: 'blend.gain', parse: 'string' },
  { flag: '--blend-mode <mode>', path: 'blend.mode', parse: 'string' },
  { flag: '--warmup-epochs <n>', path: 'blend.warmupEpochs', parse: 'int' },
  { flag: '--super-epoch-epochs <n>', path: 'blend.superEpochEpochs', parse: 'int' },
  { flag: '--estimate-epochs <n>', path: 'blend.estimateEpochs', parse: 'int' },
  { flag: '--estimate-fraction <f>', path: 'blend.estimateFraction', parse: 'float' },
  { flag: '--estimate-every <k>', path: 'blend.estimateEvery', parse: 'int' },
  { flag: '--backend <name>', path: 'backend', parse: 'string' },
  { flag: '--threads <n>', path: 'threads', parse: 'int' },
  ...METHOD_OPTION_FLAGS,
];

/** Flags of one command only; their help text is written where the command is defined. */
export const TRAIN_ONLY_FLAGS: FlagSpec[] = [
  { flag: '--method <name>', path: 'method', parse: 'string' },
  { flag: '--seed <n>', path: 'seed', parse: 'int' },
];
export const COMPARE_ONLY_FLAGS: FlagSpec[] = [
  { flag: '--methods <list>', path: 'methods', parse: 'list' },
  { flag: '--fusion <list>', path: 'fusions', parse: 'list' },
  { flag: '--seeds <n>', path: 'seeds', parse: 'int' },
  { flag: '--out <dir>', path: 'out', parse: 'string' },
];

const DEFAULTS = parseTrainConfig({}) as unknown as Record<string, unknown>;

function getPath(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

/** The schema's description of a config path. */
export function describePath(path: string): string {
  const keys = path.split('.');
  let node: unknown = trainConfigSchema;
  for (const k of keys) {
    const shape = (node as { shape?: Record<string, unknown>; unwrap?: () => unknown }).shape
      ?? ((node as { unwrap?: () => { shape?: Record<string, unknown> } }).unwrap?.().shape);
    node = shape?.[k];
  }
  return (node as { description?: string } | undefined)?.description ?? '';
}

function formatDefault(value: unknown): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export function addTrainFlags(cmd: Command, except: string[] = []): Command {
  for (const spec of TRAIN_FLAGS) {
    if (except.includes(spec.path)) continue;
    const def = getPath(DEFAULTS, spec.path);
    const text = describePath(spec.path);
    cmd.addOption(new Option(spec.flag, text.includes('(default') ? text : `${text} (default: ${formatDefault(def)})`));
  }
  return cmd;
}

function convert(raw: string, kind: FlagSpec['parse']): unknown {
  if (kind === 'list') return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  // `audio=1.5,image=0`; a value that is not a plain decimal stays a string for the schema to name.
  if (kind === 'map') {
    return Object.fromEntries(raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((pair) => {
      const eq = pair.indexOf('=');
      const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
      return [eq < 0 ? pair : pair.slice(0, eq).trim(), DECIMAL.test(value) ? Number(value) : value];
    }));
  }
  if (kind === 'string') return raw;
  // Anything else stays a string, and the schema names the flag and says it expected a boolean.
  if (kind === 'bool') return raw === 'true' ? true : raw === 'false' ? false : raw;
  // Only plain decimals are numbers (Number() would also take '0x10' or ''); junk stays a string, so the
  // schema reports "--epochs: must be a number, got 'abc'".
  return DECIMAL.test(raw.trim()) ? Number(raw) : raw;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const camelName = (spec: FlagSpec): string => spec.flag.split(' ')[0]!.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Merges flag values (commander's camel-cased names) over `base` (e.g. a config file's contents). */
export function flagsToOptions(flags: Record<string, unknown>, base: Record<string, unknown> = {}, specs: FlagSpec[] = TRAIN_FLAGS): Record<string, unknown> {
  const out = structuredClone(base);
  for (const spec of specs) {
    const raw = flags[camelName(spec)];
    if (typeof raw === 'string') setPath(out, spec.path, convert(raw, spec.parse));
  }
  return out;
}

/**
 * Validates the flags alone, before they are merged with a config file, so that a bad value is reported
 * under the flag the user typed ("--epochs: must be greater than 0, got 0"), not the config key.
 */
export function checkFlags(flags: Record<string, unknown>, specs: FlagSpec[], parse: (options: unknown, origin: string) => unknown): void {
  try {
    parse(flagsToOptions(flags, {}, specs), 'command line');
  } catch (err) {
    if (!(err instanceof ConfigError) || err.field === null) throw err;
    const field = err.field;
    const spec = specs.find((s) => field === s.path || field.startsWith(`${s.path}.`));
    if (spec === undefined) throw err;
    const flag = spec.flag.split(' ')[0]!;
    // The detail starts with the config key ("'epochs': ..."); the flag replaces it.
    throw new ConfigError('command line', field, `${flag}: ${err.detail.replace(/^'[^']*': /, '')}`);
  }
}
