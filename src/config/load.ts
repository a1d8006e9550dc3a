/** Validation of option objects and config files against the one schema, with one-line errors. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { compareConfigSchema, trainConfigSchema, type CompareConfig, type CompareConfigInput, type TrainConfig, type TrainConfigInput } from './schema.js';

export class ConfigError extends Error {
  readonly code = 'bad_config';
  constructor(readonly file: string, readonly field: string | null, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): { field: string | null; text: string } {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path === '' ? '' : `${path}.`;
    return { field: `${where}${issue.keys[0]}`, text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${where}${k}'`).join(', ')}` };
  }
  return { field: path === '' ? null : path, text: `${path === '' ? '' : `'${path}': `}${issue.message}` };
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, origin: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const { field, text } = describeIssue(first);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new ConfigError(origin, field, `${origin}: ${text}${more}`);
}

/** Parse any option object (from the API, a file or CLI flags) into a complete, defaulted config. */
export function parseTrainConfig(input: TrainConfigInput | unknown, origin = 'options'): TrainConfig {
  return parseWith(trainConfigSchema, input, origin);
}

export function parseCompareConfig(input: CompareConfigInput | unknown, origin = 'options'): CompareConfig {
  return parseWith(compareConfigSchema, input, origin);
}

/** Read a YAML or JSON config file as a plain object (not yet validated). */
export async function readConfigObject(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(file, null, `${file}: cannot read config file`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0];
    throw new ConfigError(file, null, `${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${reason}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, null, `${file}: the config must be a mapping of options`);
  }
  return raw as Record<string, unknown>;
}

/** Read a YAML or JSON config file and validate it. */
export async function readTrainConfig(file: string): Promise<TrainConfig> {
  return parseTrainConfig(await readConfigObject(file), file);
}
