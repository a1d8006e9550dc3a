/** Small pieces several methods share. */
import { FUSED } from '../models/heads.js';
import { MethodError } from '../train/method.js';

export const uniform = (heads: string[]): Record<string, number> => Object.fromEntries(heads.map((h) => [h, 1 / heads.length]));

/** Every uni-modal head and the fused head. */
export const allHeads = (modalities: string[]): string[] => [...modalities, FUSED];

/** For methods whose weights never change between epochs. */
export const never = async (): Promise<null> => null;

export function requireFusion(name: string, modalities: string[]): void {
  if (modalities.length < 2) throw new MethodError(`method '${name}' needs at least 2 modalities, got ${modalities.length}`);
}
