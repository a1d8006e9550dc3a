/** The in-memory form of a dataset, shared by the loader, the validator and everything downstream. */

export type EncoderHint = 'mlp' | 'conv';

export interface ModalityData {
  name: string;
  /** Shape of one example, without the leading N. */
  shape: number[];
  /** N * prod(shape) values, row-major, raw (unnormalised) values as float32. */
  data: Float32Array;
  /** The manifest's hint, or null to let the model choose from the shape. */
  encoder: EncoderHint | null;
  /** Where the values came from: a .npy dtype name (e.g. 'float64') or 'csv'. */
  sourceDtype: string;
}

export interface Dataset {
  name: string;
  /** Absolute directory the dataset was loaded from; null for datasets built in memory. */
  dir: string | null;
  classes: string[];
  modalities: ModalityData[];
  /** One class index in 0..classes.length-1 per row. */
  labels: Int32Array;
  /** One value per row, 0 = train, 1 = test; null when the dataset does not fix a split. */
  split: Uint8Array | null;
  description: string | null;
  license: string | null;
  source: string | null;
}

/**
 * A dataset loaded for prediction: the same fields, but labels are optional, because a shipped model is
 * run on new data that nobody has labelled yet. Every Dataset is also a PredictionData.
 */
export interface PredictionData extends Omit<Dataset, 'labels'> {
  /** One class index per row when the data has labels (then predict also scores itself), else null. */
  labels: Int32Array | null;
}

/** Whether a dataset must have labels (training) or may lack them (prediction). */
export type LabelRule = 'required' | 'optional';

/** Number of values in one example of a modality. */
export function featureCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Number of rows of a modality (0 when the shape has no values at all). */
export function rowCount(m: ModalityData): number {
  const f = featureCount(m.shape);
  return f === 0 ? 0 : Math.floor(m.data.length / f);
}

/** Number of examples: the label count, else the first modality's rows (validation makes them agree). */
export function exampleCount(ds: PredictionData): number {
  if (ds.labels !== null) return ds.labels.length;
  const first = ds.modalities[0];
  return first === undefined ? 0 : rowCount(first);
}
