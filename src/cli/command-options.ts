/** How a command's options are assembled: a config file's, overridden by flags. */
import { readConfigObject } from '../config/load.js';
import { isUserError, UserError } from '../core/user-error.js';
import { camelName, checkFlags, flagsToOptions, TRAIN_FLAGS, type FlagSpec } from './options.js';

const flagName = (spec: FlagSpec): string => spec.flag.split(' ')[0]!;

/** The flags of a command: `only`'s, and the shared ones it does not replace (compare's --fusion takes a list). */
function commandSpecs(only: FlagSpec[]): FlagSpec[] {
  const own = new Set(only.map(flagName));
  return [...TRAIN_FLAGS.filter((s) => !own.has(flagName(s))), ...only];
}

/** The options of a command: the config file's, overridden by flags (checked alone first, so errors name them). */
export async function fileAndFlags(flags: Record<string, unknown>, only: FlagSpec[], parse: (o: unknown, origin: string) => unknown): Promise<Record<string, unknown>> {
  const specs = commandSpecs(only);
  checkFlags(flags, specs, parse);
  const base = typeof flags.config === 'string' ? await readConfigObject(flags.config) : {};
  return flagsToOptions(flags, base, specs);
}

/** Errors in merged options name the config file when there is one (flags are checked the same way). */
export const originOf = (flags: Record<string, unknown>): string => (typeof flags.config === 'string' ? flags.config : 'options');

function hasKey(obj: Record<string, unknown>, path: string): boolean {
  let o: unknown = obj;
  for (const k of path.split('.')) {
    if (typeof o !== 'object' || o === null || !(k in o)) return false;
    o = (o as Record<string, unknown>)[k];
  }
  return true;
}

/**
 * An error about one option's value (UserError.option), which the library names by its config key,
 * named as the user gave the value: by the flag typed, or by the config file and key; a default is
 * named by its flag, the way to change it. Other errors are returned unchanged.
 */
export async function inUserTerms(err: unknown, flags: Record<string, unknown>, only: FlagSpec[]): Promise<unknown> {
  if (!isUserError(err) || err.option === null) return err;
  const { key, rest } = err.option;
  const spec = commandSpecs(only).find((s) => s.path === key);
  const typed = spec !== undefined && typeof flags[camelName(spec)] === 'string';
  if (!typed && typeof flags.config === 'string') {
    const file = await readConfigObject(flags.config).catch(() => ({}));
    if (hasKey(file, key)) return new UserError(err.code, `${flags.config}: ${key}${rest}`);
  }
  return spec === undefined ? err : new UserError(err.code, `${flagName(spec)}${rest}`);
}

/** A command's action whose option errors name flags and config files (inUserTerms). */
export function namingFlags(only: FlagSpec[], action: (flags: Record<string, unknown>) => Promise<void>): (flags: Record<string, unknown>) => Promise<void> {
  return async (flags) => {
    try {
      await action(flags);
    } catch (err) {
      throw await inUserTerms(err, flags, only);
    }
  };
}
