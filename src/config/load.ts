/** Validation of option objects and config files against the one schema, with one-line errors. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../core/user-error.js';
import { fsReason } from '../io/file-error.js';
import { describeIssue } from './issues.js';
import { compareConfigSchema, trainConfigSchema, type CompareConfig, type CompareConfigInput, type TrainConfig, type TrainConfigInput } from './schema.js';

export class ConfigError extends UserError {
  /** `detail`: the message without the origin, for callers that name the origin differently (CLI flags). */
  constructor(readonly file: string, readonly field: string | null, message: string, readonly detail = message) {
    super('bad_config', message);
  }
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, origin: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const { field, text } = describeIssue(first, input);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new ConfigError(origin, field, `${origin}: ${text}${more}`, `${text}${more}`);
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
  } catch (e) {
    throw new ConfigError(file, null, `${file}: cannot read config file: ${fsReason(e)}`);
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
