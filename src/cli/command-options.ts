/** How a command's options are assembled: a config file's, overridden by flags. */
import { readConfigObject } from '../config/load.js';
import { checkFlags, flagsToOptions, TRAIN_FLAGS, type FlagSpec } from './options.js';

const flagName = (spec: FlagSpec): string => spec.flag.split(' ')[0]!;

/** The options of a command: the config file's, overridden by flags (checked alone first, so errors name them). */
export async function fileAndFlags(flags: Record<string, unknown>, only: FlagSpec[], parse: (o: unknown, origin: string) => unknown): Promise<Record<string, unknown>> {
  // A command's own flag replaces a shared one of the same name (compare's --fusion takes a list).
  const own = new Set(only.map(flagName));
  const specs = [...TRAIN_FLAGS.filter((s) => !own.has(flagName(s))), ...only];
  checkFlags(flags, specs, parse);
  const base = typeof flags.config === 'string' ? await readConfigObject(flags.config) : {};
  return flagsToOptions(flags, base, specs);
}

/** Errors in merged options name the config file when there is one (flags are checked the same way). */
export const originOf = (flags: Record<string, unknown>): string => (typeof flags.config === 'string' ? flags.config : 'options');

