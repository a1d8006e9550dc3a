/**
 * Which heads predict from which modalities, and running them: the one implementation behind
 * `gblend predict` (Node) and the browser module. With every modality present the fused head predicts;
 * with some missing, the uni-modal heads of the present ones do, their probabilities averaged.
 * Nothing from Node here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyNormalizer } from '../core/normalize.js';
import type { LoadedModel } from './model-artifacts.js';
import { SavedModelError, takesRawInputs, type ModelMetadata } from './model-metadata.js';

const quoted = (list: string[]): string => list.map((m) => `'${m}'`).join(', ');

/** The heads that serve the modalities in `present`; throws when none does. */
export function chooseHeads(meta: ModelMetadata, present: string[], origin: string): string[] {
  if (meta.modalities.every((m) => present.includes(m.name))) {
    return meta.heads.includes('fused') ? ['fused'] : meta.heads.filter((h) => present.includes(h));
  }
  const uni = meta.heads.filter((h) => h !== 'fused' && present.includes(h));
  if (uni.length === 0) {
    throw new SavedModelError('no_usable_head', origin,
      `${origin}: the model needs modalities ${quoted(meta.modalities.map((m) => m.name))}; the data has ${present.length ? quoted(present) : 'none of them'}, and no uni-modal head covers what is present`);
  }
  return uni;
}

export interface HeadOutputs {
  /** Heads whose outputs made the prediction. */
  heads: string[];
  /** Modalities given, in the model's order. */
  modalitiesUsed: string[];
  /** Every head's probabilities (rows x classes); a head reading a missing modality is left out. */
  perHead: Record<string, Float32Array>;
  /** The prediction: the mean of the chosen heads' probabilities, rows x classes. */
  probabilities: Float32Array;
  /** Per row, the index of the most probable class. */
  predicted: Int32Array;
}

/** The modalities a head reads. */
const headReads = (meta: ModelMetadata, head: string): string[] => (head === 'fused' ? meta.modalities.map((m) => m.name) : [head]);

/**
 * Runs every head on `n` rows. `rows` maps each present modality to its raw (unnormalised) values,
 * n x the modality's size, row-major; modalities not in `rows` are missing.
 */
export async function runHeads(model: LoadedModel, rows: Record<string, ArrayLike<number>>, n: number, origin: string): Promise<HeadOutputs> {
  const { graph, meta } = model;
  const present = meta.modalities.map((m) => m.name).filter((m) => rows[m] !== undefined);
  const heads = chooseHeads(meta, present, origin);
  const raw = takesRawInputs(meta);
  const inputs = meta.modalities.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const source = rows[spec.name];
    if (source !== undefined && source.length !== n * size) {
      throw new SavedModelError('shape_mismatch', origin, `${origin}: modality '${spec.name}' has ${source.length} values, the model expects ${n} x ${size} (per-example shape [${spec.shape.join(', ')}])`);
    }
    // A missing modality gets zeros: only heads that do not read it are reported.
    let values: Float32Array = source === undefined ? new Float32Array(n * size) : Float32Array.from(source);
    if (source !== undefined && !raw) values = applyNormalizer(values, size, spec.normalization);
    return tf.tensor(values, [n, ...spec.shape], 'float32');
  });
  const usable = meta.heads.filter((h) => headReads(meta, h).every((m) => present.includes(m)));
  const probs = tf.tidy(() => {
    const outs = graph.predict(inputs, { batchSize: 256 }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    return meta.heads.map((_, i) => tf.softmax(list[i]!));
  });
  tf.dispose(inputs);
  const perHead: Record<string, Float32Array> = {};
  for (const [i, h] of meta.heads.entries()) if (usable.includes(h)) perHead[h] = (await probs[i]!.data()) as Float32Array;
  tf.dispose(probs);
  const classes = meta.classes.length;
  const probabilities = new Float32Array(n * classes);
  for (const h of heads) perHead[h]!.forEach((p, j) => (probabilities[j] += p / heads.length));
  const predicted = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c]! > probabilities[r * classes + best]!) best = c;
    predicted[r] = best;
  }
  return { heads, modalitiesUsed: present, perHead, probabilities, predicted };
}
