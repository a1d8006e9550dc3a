/** A loaded model and its predict(): raw inputs per modality in, every head's probabilities out. */
import type { LoadedModel } from '../models/model-artifacts.js';
import { SavedModelError, type ModelMetadata } from '../models/model-metadata.js';
import { runHeads } from '../models/predict-heads.js';
import { initBackend, type BackendOptions, type WebBackend } from './backend.js';
import { fetchModel } from './load.js';

/** Per modality, raw values (as in the dataset: before normalisation) of one or more examples, row-major. */
export type ModelInputs = Record<string, ArrayLike<number>>;

export interface WebPrediction {
  classes: string[];
  /** Heads whose outputs made the prediction: 'fused', or the uni-modal heads of what was given. */
  heads: string[];
  modalitiesUsed: string[];
  /** Per example, the class names ranked first. */
  predicted: string[];
  /** Per example, the prediction's probability per class. */
  probabilities: number[][];
  /** Every head that could run on what was given: per example, probabilities per class. */
  perHead: Record<string, number[][]>;
}

const rowsOf = (flat: Float32Array, width: number): number[][] =>
  Array.from({ length: flat.length / width }, (_, r) => Array.from(flat.subarray(r * width, (r + 1) * width)));

export class WebModel {
  constructor(private readonly model: LoadedModel, readonly url: string, readonly backend: WebBackend) {}

  get meta(): ModelMetadata {
    return this.model.meta;
  }

  /** Values per example of each modality. */
  sizeOf(modality: string): number {
    const spec = this.meta.modalities.find((m) => m.name === modality);
    if (spec === undefined) throw new SavedModelError('unknown_modality', this.url, `${this.url}: '${modality}' is not a modality of the model (it knows ${this.meta.modalities.map((m) => `'${m.name}'`).join(', ')})`);
    return spec.shape.reduce((a, b) => a * b, 1);
  }

  /** Predicts from any non-empty subset of the modalities; a missing one is served by the other heads. */
  async predict(inputs: ModelInputs): Promise<WebPrediction> {
    const given = Object.keys(inputs);
    let n: number | null = null;
    for (const m of given) {
      const size = this.sizeOf(m);
      const rows = inputs[m]!.length / size;
      if (!Number.isInteger(rows) || rows === 0 || (n !== null && rows !== n)) {
        throw new SavedModelError('shape_mismatch', this.url, `predict: input '${m}' has ${inputs[m]!.length} values: not a whole number of examples of ${size} values${n === null ? '' : `, or not ${n} examples like the other inputs`}`);
      }
      n = rows;
    }
    if (n === null) throw new SavedModelError('no_modalities', this.url, 'predict: the inputs name no modality');
    const out = await runHeads(this.model, inputs, n, this.url);
    const classes = this.meta.classes;
    return {
      classes,
      heads: out.heads,
      modalitiesUsed: out.modalitiesUsed,
      predicted: Array.from(out.predicted, (c) => classes[c]!),
      probabilities: rowsOf(out.probabilities, classes.length),
      perHead: Object.fromEntries(Object.entries(out.perHead).map(([h, p]) => [h, rowsOf(p, classes.length)])),
    };
  }

  dispose(): void {
    this.model.graph.dispose();
  }
}

/** Loads a model from model.json's URL (or its folder's), after choosing a backend (see initBackend). */
export async function loadModel(url: string, options: BackendOptions = {}): Promise<WebModel> {
  const backend = await initBackend(options);
  return new WebModel(await fetchModel(url), url, backend);
}
