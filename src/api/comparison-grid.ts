/**
 * Which runs a comparison makes: every method, crossed with every fusion when several are given.
 * A run's name is its method's, or `method@fusion` when the fusion is part of the comparison
 * (`--fusion late,mid`, or written so in `--methods naive@mid`): results, run logs and checkpoints
 * are keyed by it. A method with no fused head (uni:<m>) has no fusion and runs once; a method not
 * defined for a fusion (ogm-ge with se) is left out of a crossing and listed as skipped, but written
 * explicitly (`ogm-ge@se`) it is an error, as in `train`.
 */
import { UserError } from '../core/user-error.js';
import { createMethod } from '../methods/registry.js';
import { FUSED } from '../models/heads.js';
import { FUSION_NAMES, FUSION_SEPARATOR, splitRunName as splitName, type FusionName } from '../models/fusions/names.js';

export interface GridEntry {
  /** The run's name in the comparison: `naive`, `naive@mid`, `uni:image`. */
  name: string;
  method: string;
  /** The fusion this entry sets (model.fusion); null: the comparison's own. */
  fusion: FusionName | null;
}

/** `naive@mid` -> { method: 'naive', fusion: 'mid' }; `naive` -> fusion null. Throws on an unknown fusion. */
export function splitRunName(name: string): { method: string; fusion: FusionName | null } {
  const { method, fusion } = splitName(name);
  if (fusion !== null && !(FUSION_NAMES as readonly string[]).includes(fusion)) {
    throw new UserError('bad_method', `'${name}': unknown fusion '${fusion}' after '${FUSION_SEPARATOR}' (use ${FUSION_NAMES.join(', ')})`);
  }
  return { method, fusion: fusion as FusionName | null };
}

export function comparisonGrid(methods: string[], fusions: readonly FusionName[] | null, modalities: string[]): { entries: GridEntry[]; skipped: string[] } {
  const entries: GridEntry[] = [];
  const skipped: string[] = [];
  const crossing = fusions !== null && fusions.length > 1;
  for (const name of methods) {
    const { method, fusion } = splitRunName(name);
    if (fusion !== null) entries.push({ name, method, fusion });
    else if (!crossing) entries.push({ name, method, fusion: fusions?.[0] ?? null });
    else {
      const m = createMethod(method);
      if (!m.heads(modalities).includes(FUSED)) {
        entries.push({ name, method, fusion: null });
        continue;
      }
      for (const f of fusions) {
        if (m.fusions !== undefined && !m.fusions.includes(f)) skipped.push(`${method}${FUSION_SEPARATOR}${f}`);
        else entries.push({ name: `${method}${FUSION_SEPARATOR}${f}`, method, fusion: f });
      }
    }
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new UserError('bad_method', `the comparison would run '${e.name}' twice: list each method and fusion once`);
    seen.add(e.name);
  }
  return { entries, skipped };
}
