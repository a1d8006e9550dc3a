/**
 * Prediction with a saved model. With every modality present it uses the fused head; with some
 * missing it averages the probabilities of the uni-modal heads of the modalities that are present.
 * The data need no labels; when it has them, the result also scores the predictions against them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { accuracy, macroF1 } from '../core/metrics.js';
import { exampleCount, type PredictionData } from '../data/index.js';
import { initEngine, type BackendChoice } from '../engine/index.js';
import { loadModel, SavedModelError, type ModelMetadata } from '../models/saved-model.js';
import { applyNormalizer } from '../train/prepared-data.js';
import { openPredictionData } from './datasets.js';

export interface PredictOptions {
  /** Use only these modalities (simulates missing ones); default: every modality the data has. */
  modalities?: string[];
  backend?: BackendChoice;
}

export interface PredictResult {
  /** Heads whose outputs made the prediction. */
  heads: string[];
  modalitiesUsed: string[];
  classes: string[];
  predicted: Int32Array;
  /** Rows x classes. */
  probabilities: Float32Array;
  /** When the data has labels: top-1 and macro-F1 against them; null for unlabelled data. */
  accuracy: number | null;
  macroF1: number | null;
}

function chooseHeads(meta: ModelMetadata, present: string[], origin: string): string[] {
  if (meta.modalities.every((m) => present.includes(m.name))) {
    return meta.heads.includes('fused') ? ['fused'] : meta.heads.filter((h) => present.includes(h));
  }
  const uni = meta.heads.filter((h) => h !== 'fused' && present.includes(h));
  if (uni.length === 0) {
    throw new SavedModelError('no_usable_head', origin,
      `${origin}: the model needs modalities ${meta.modalities.map((m) => `'${m.name}'`).join(', ')}; the data has ${present.length ? present.map((m) => `'${m}'`).join(', ') : 'none of them'}, and no uni-modal head covers what is present`);
  }
  return uni;
}

const names = (list: string[]): string => list.map((m) => `'${m}'`).join(', ');

/**
 * The modalities to predict from. Asked-for names must be in both the data and the model; without a
 * choice, every modality of the data must be one the model knows: data the model would silently ignore
 * is more likely a mistake (a renamed modality, the wrong model) than an intention.
 */
function chooseModalities(meta: ModelMetadata, inData: string[], asked: string[] | undefined, origin: string): string[] {
  const known = meta.modalities.map((m) => m.name);
  const option = "option 'modalities' (--modalities)";
  if (asked === undefined) {
    const unknown = inData.filter((m) => !known.includes(m));
    if (unknown.length > 0) {
      throw new SavedModelError('unknown_modality', origin, `${origin}: the data has modalit${unknown.length === 1 ? 'y' : 'ies'} ${names(unknown)} that the model was not trained on (it knows ${names(known)}); choose the ones to use with ${option}`);
    }
    return inData;
  }
  if (asked.length === 0) throw new SavedModelError('no_modalities', origin, `${option}: names no modality; leave it out to use every modality the data has`);
  for (const [i, m] of asked.entries()) {
    if (asked.indexOf(m) !== i) throw new SavedModelError('duplicate_modality', origin, `${option}: names '${m}' twice`);
    if (!known.includes(m)) throw new SavedModelError('unknown_modality', origin, `${option}: '${m}' is not a modality of the model (it knows ${names(known)})`);
    if (!inData.includes(m)) throw new SavedModelError('unknown_modality', origin, `${option}: '${m}' is not in the data ${origin} (it has ${names(inData)})`);
  }
  return asked;
}

/** `data`: a dataset folder or built-in name, or one in memory (a Dataset, or PredictionData without labels). */
export async function predict(modelDir: string, data: string | PredictionData, options: PredictOptions = {}): Promise<PredictResult> {
  await initEngine({ backend: options.backend ?? 'auto' });
  const ds = typeof data === 'string' ? await openPredictionData(data) : data;
  const { graph, meta } = await loadModel(modelDir);
  try {
    const origin = ds.dir ?? ds.name;
    const available = chooseModalities(meta, ds.modalities.map((m) => m.name), options.modalities, origin);
    const present = meta.modalities.map((m) => m.name).filter((m) => available.includes(m));
    const heads = chooseHeads(meta, present, origin);
    if (ds.classes.join('\u0000') !== meta.classes.join('\u0000')) {
      throw new SavedModelError('class_mismatch', origin, `${origin}: field 'classes': the data's classes [${ds.classes.join(', ')}] differ from the model's [${meta.classes.join(', ')}]`);
    }
    const n = exampleCount(ds);
    const inputs = meta.modalities.map((spec) => {
      const source = present.includes(spec.name) ? ds.modalities.find((m) => m.name === spec.name)! : null;
      if (source !== null && source.shape.join('x') !== spec.shape.join('x')) {
        throw new SavedModelError('shape_mismatch', origin,
          `${origin}: modality '${spec.name}' has per-example shape [${source.shape.join(', ')}], the model expects [${spec.shape.join(', ')}]`);
      }
      const size = spec.shape.reduce((a, b) => a * b, 1);
      // A missing modality gets zeros (its mean after normalisation); no head used for the prediction reads it.
      const values = source === null ? new Float32Array(n * size) : applyNormalizer(source.data, size, spec.normalization);
      return tf.tensor(values, [n, ...spec.shape], 'float32');
    });
    const probs = tf.tidy(() => {
      const outs = graph.predict(inputs, { batchSize: 256 }) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(outs) ? outs : [outs];
      const chosen = heads.map((h) => tf.softmax(list[meta.heads.indexOf(h)]!));
      return tf.div(tf.addN(chosen), chosen.length);
    });
    tf.dispose(inputs);
    const probabilities = (await probs.data()) as Float32Array;
    const top = tf.argMax(probs, 1);
    const predicted = (await top.data()) as Int32Array;
    tf.dispose([probs, top]);
    const labels = ds.labels === null ? null : Array.from(ds.labels);
    return {
      heads, modalitiesUsed: present, classes: meta.classes, predicted, probabilities,
      accuracy: labels === null ? null : accuracy(predicted, labels),
      macroF1: labels === null ? null : macroF1(predicted, labels, meta.classes.length),
    };
  } finally {
    graph.dispose();
  }
}
