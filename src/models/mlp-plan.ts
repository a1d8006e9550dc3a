/**
 * The model as a list of dense layers, for a backend that runs a whole step of it at once (the native
 * addon's mlpStep): read from the same tfjs-layers layers that training through tfjs, saving and
 * `predict` use, so there is still one model definition. Only what such a step computes has a plan:
 * MLP encoders (an optional flatten, then Dense layers) and heads of Dense layers, the fused head on
 * late fusion (the encoders' outputs concatenated). Anything else (conv encoders, fusions with layers
 * of their own) says why not, and trains through tfjs.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FUSED } from './heads.js';
import type { MultiHeadModel } from './multihead-model.js';

export interface DensePlan {
  kernel: tf.Variable;
  bias: tf.Variable;
  relu: boolean;
}

export interface MlpPlan {
  /** In the model's modality order. */
  encoders: { modality: string; layers: DensePlan[] }[];
  /** In the model's head order; `source` an index into `encoders`, or -1: all of them concatenated. */
  heads: { name: string; source: number; layers: DensePlan[] }[];
}

/** A Dense layer with a bias and a linear or ReLU activation as a DensePlan; else why not. */
function dense(layer: tfl.layers.Layer): DensePlan | string {
  if (layer.getClassName() !== 'Dense') return `layer '${layer.name}' is a ${layer.getClassName()}`;
  const config = layer.getConfig();
  const activation = config['activation'];
  if (activation !== 'relu' && activation !== 'linear') return `layer '${layer.name}' has activation ${String(activation)}`;
  if (config['useBias'] !== true) return `layer '${layer.name}' has no bias`;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  if (kernel === undefined || bias === undefined || layer.trainableWeights.length !== 2) return `layer '${layer.name}' is not built`;
  return { kernel, bias, relu: activation === 'relu' };
}

function chain(layers: tfl.layers.Layer[], flattenFirst: boolean): DensePlan[] | string {
  const out: DensePlan[] = [];
  for (const [i, layer] of layers.entries()) {
    if (flattenFirst && i === 0 && layer.getClassName() === 'Flatten') continue;
    const d = dense(layer);
    if (typeof d === 'string') return d;
    out.push(d);
  }
  return out.length > 0 ? out : 'a chain without layers';
}

const plans = new WeakMap<MultiHeadModel, MlpPlan | string>();

/** The model's plan, or why it has none (computed once per model: its layers never change). */
export function mlpPlan(model: MultiHeadModel): MlpPlan | string {
  let plan = plans.get(model);
  if (plan === undefined) {
    plan = buildPlan(model);
    plans.set(model, plan);
  }
  return plan;
}

function buildPlan(model: MultiHeadModel): MlpPlan | string {
  const modalities = model.modalities;
  const encoders: MlpPlan['encoders'] = [];
  for (const [modality, enc] of model.encoders) {
    if (enc.spec.kind !== 'mlp') return `the ${modality} encoder is a ${enc.spec.kind} net`;
    const layers = chain(enc.layers, true);
    if (typeof layers === 'string') return layers;
    encoders.push({ modality, layers });
  }
  const heads: MlpPlan['heads'] = [];
  for (const [name, head] of model.heads) {
    if (name === FUSED && model.fusion?.name !== 'late') return `the fusion is ${model.fusion?.name}`;
    const layers = chain(head.layers, false);
    if (typeof layers === 'string') return layers;
    heads.push({ name, source: name === FUSED ? -1 : modalities.indexOf(head.modalities[0]!), layers });
  }
  // Every trainable variable is in the plan, or the step would leave one untrained.
  const planned = new Set([...encoders, ...heads].flatMap((c) => c.layers.flatMap((l) => [l.kernel, l.bias])));
  const variables = model.variables();
  if (variables.length !== planned.size || variables.some((v) => !planned.has(v))) return 'the model has variables outside its dense layers';
  return { encoders, heads };
}
