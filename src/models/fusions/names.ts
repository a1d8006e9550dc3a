/**
 * The one list of fusions users can choose (`--fusion`, config `model.fusion`): plain data, low in the
 * house, so that the schema, `--help` and error messages read it without importing any layer code.
 * Each name has its module in this folder, listed in ./index.ts.
 */
export const FUSIONS = [
  { name: 'late', summary: 'concatenated encoder features, then the fused head (the paper\'s naive late fusion)' },
  { name: 'mid', summary: 'concatenation after each encoder\'s first stage, then shared layers (mid-level concatenation)' },
  { name: 'se', summary: 'squeeze-and-excitation gates across modalities on each modality\'s features, then the fused head' },
  { name: 'nl', summary: 'non-local block (attention) across the modalities\' features as tokens, then the fused head' },
  { name: 'lmf', summary: 'low-rank multimodal fusion (Liu et al., ACL 2018) as the fused head\'s hidden layer' },
] as const;

export type FusionName = (typeof FUSIONS)[number]['name'];

export const FUSION_NAMES: readonly FusionName[] = FUSIONS.map((f) => f.name);

/** What separates a method from a fusion in a comparison's run name: `naive@mid`. */
export const FUSION_SEPARATOR = '@';

/** `naive@mid` -> { method: 'naive', fusion: 'mid' }; without the separator fusion is null. Neither part is checked. */
export function splitRunName(name: string): { method: string; fusion: string | null } {
  const at = name.lastIndexOf(FUSION_SEPARATOR);
  return at < 0 ? { method: name, fusion: null } : { method: name.slice(0, at), fusion: name.slice(at + 1) };
}
