/**
 * Input normalisation, x -> (x - mean) / std: per feature for vectors, one scalar for 2-D inputs.
 * Pure, so Node's predict, the browser module and training share one definition.
 */

/** What gblend.json stores per modality. */
export interface Normalizer {
  mean: number[];
  std: number[];
}

/** `data` holds rows of `featureSize` values; a one-value normalizer applies to every feature. */
export function applyNormalizer(data: ArrayLike<number>, featureSize: number, norm: Normalizer): Float32Array {
  const out = new Float32Array(data.length);
  const perFeature = norm.mean.length > 1 || featureSize === 1;
  for (let i = 0; i < data.length; i++) {
    const k = perFeature ? i % featureSize : 0;
    out[i] = (data[i]! - norm.mean[k]!) / norm.std[k]!;
  }
  return out;
}
