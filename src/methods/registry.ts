/**
 * The one list of training methods. The config schema, `--help`, error messages and `compare`'s
 * defaults all read it, so a new method is one file plus one line here.
 */
import { MethodError, type Method } from '../train/method.js';
import { agm } from './agm.js';
import { aux } from './aux.js';
import { earlyStop } from './early-stop.js';
import type { MethodDefinition } from './definition.js';
import { gblendOffline } from './gblend-offline.js';
import { gblendOnline } from './gblend-online.js';
import { inforeg } from './inforeg.js';
import { mmpareto } from './mmpareto.js';
import { naive } from './naive.js';
import { ogmGe } from './ogm-ge.js';
import { pmr } from './pmr.js';
import { pretrain } from './pretrain.js';
import { uncertainty } from './uncertainty.js';
import { uni } from './uni.js';

export const METHODS: readonly MethodDefinition[] = [uni, naive, aux, gblendOffline, gblendOnline, pretrain, earlyStop, uncertainty, ogmGe, agm, pmr, mmpareto, inforeg];

/** How users write each method: 'uni:<modality>', 'naive', ... */
export const METHOD_SPELLINGS = METHODS.map((m) => m.pattern ?? m.name);

function split(name: string): { def: MethodDefinition | undefined; parameter: string | null } {
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const def = METHODS.find((m) => m.name === base && (colon < 0) === (m.pattern === undefined));
  return { def, parameter: colon < 0 ? null : name.slice(colon + 1) };
}

/** Whether `name` is a method users may write (a family needs a non-empty parameter). */
export function isMethodName(name: string): boolean {
  const { def, parameter } = split(name);
  return def !== undefined && (def.pattern === undefined || (parameter ?? '') !== '');
}

export function unknownMethodMessage(name: string): string {
  return `unknown method '${name}' (use ${METHOD_SPELLINGS.join(', ')})`;
}

/** The method named `name`, with its options from `methodOptions` (already validated by the schema). */
export function createMethod(name: string, methodOptions: Record<string, Record<string, unknown>> = {}): Method {
  const { def, parameter } = split(name);
  if (def === undefined || !isMethodName(name)) throw new MethodError(unknownMethodMessage(name));
  return def.create(parameter, methodOptions[def.name] ?? {});
}

/** `compare`'s default list for a dataset's modalities. */
export function defaultMethods(modalities: string[]): string[] {
  const out: string[] = [];
  for (const m of METHODS) {
    if (m.inDefaults === 'per-modality') out.push(...modalities.map((mod) => `${m.name}:${mod}`));
    else if (m.inDefaults && modalities.length >= 2) out.push(m.name);
  }
  return out;
}
