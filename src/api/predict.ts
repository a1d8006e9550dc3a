/**
 * Prediction with a saved model on a dataset. Which heads predict (the fused head, or with some modality
 * missing the uni-modal heads of the present ones) is decided in models/predict-heads.ts, shared with the
 * browser module.
 * The data need no labels; when it has them, the result also scores the predictions against them.
 */
import { accuracy, macroF1 } from '../core/metrics.js';
import { exampleCount, type PredictionData } from '../data/index.js';
import { initEngine, type BackendChoice } from '../engine/index.js';
import { runHeads } from '../models/predict-heads.js';
import { loadModel, SavedModelError, type ModelMetadata } from '../models/saved-model.js';
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
    if (ds.classes.join('\u0000') !== meta.classes.join('\u0000')) {
      throw new SavedModelError('class_mismatch', origin, `${origin}: field 'classes': the data's classes [${ds.classes.join(', ')}] differ from the model's [${meta.classes.join(', ')}]`);
    }
    const n = exampleCount(ds);
    const rows: Record<string, Float32Array> = {};
    for (const spec of meta.modalities) {
      const source = ds.modalities.find((m) => m.name === spec.name);
      if (source === undefined || !present.includes(spec.name)) continue;
      if (source.shape.join('x') !== spec.shape.join('x')) {
        throw new SavedModelError('shape_mismatch', origin,
          `${origin}: modality '${spec.name}' has per-example shape [${source.shape.join(', ')}], the model expects [${spec.shape.join(', ')}]`);
      }
      rows[spec.name] = source.data;
    }
    const { heads, probabilities, predicted } = await runHeads({ graph, meta }, rows, n, origin);
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
