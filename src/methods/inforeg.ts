/**
 * InfoReg (Huang, Wei, Yang, Hu, "Adaptive Unimodal Regulation for Balanced Multimodal Information
 * Acquisition", CVPR 2025). Every uni-modal head plus the fused head, each on its plain loss
 * (L_fused + sum_m L_m). Early in training, while the model's information amount still grows fast
 * (the prime learning window, core/inforeg.ts), the encoder of each modality ahead of the weakest is
 * pulled back towards its parameters at the start of the epoch: its gradient gains
 * beta_m (theta - theta_anchor), the gradient of a proximal term (beta_m / 2) |theta - theta_anchor|^2.
 * The modality behind trains freely and catches up; after the window, training is plain aux.
 *
 * [choice] Where the authors' code is specific to its two-modality setting:
 * - The information amount (a Fisher trace: per weight kernel, the mean of the squared gradient,
 *   summed over kernels and over the epoch's steps) is summed over every encoder; the authors track
 *   the audio encoder's only, their dataset's leading modality, which a general tool cannot know.
 * - Their second branch (regulating the visual encoder) tests the same condition as the first and never
 *   runs; as the paper says, whichever modality is ahead is regulated. With more than two modalities,
 *   every modality ahead of the weakest is, each by its own gap.
 * - The Fisher trace is taken from the loss's gradient, before the proximal term is added (the authors
 *   take it after): the proximal term is not information from the data.
 * Kept from the authors: confidences summed (not averaged) over the batch, beta 0.95, a window of 10
 * epochs and a threshold of 0.04; the anchor is taken at every epoch's start.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { informationGrowth, regulationStrengths } from '../core/inforeg.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { LoopHooks, StepTensors } from '../train/loop.js';
import type { StepHookContext } from '../train/method.js';
import { EpochMeans, onEveryPlainLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    beta: z.number().min(0).default(0.95).describe('strength of the pull back on a leading encoder: beta exp(tanh(gap)) (the authors: 0.95)'),
    window: z.number().int().min(1).default(10).describe('epochs in the moving sums that measure the information growth (the authors: 10)'),
    threshold: z.number().min(0).default(0.04).describe('the prime learning window lasts while the growth exceeds this (the authors: 0.04)'),
  })
  .strict();
type InfoRegOptions = z.infer<typeof options>;

/** What InfoReg carries between epochs: the information amount of every epoch done. */
interface History {
  information: number[];
}

/** Per modality: the batch's summed softmax confidence on the true class of its own head, and its encoder's Fisher trace. */
function stepMeasures(step: StepTensors, grads: tf.NamedTensorMap, kernels: Map<string, string[]>): { scores: Record<string, number>; fisher: Record<string, number> } {
  const modalities = [...kernels.keys()];
  const values = tf.tidy(() => {
    const scores = modalities.map((m) => tf.sum(tf.mul(tf.softmax(step.logits.get(m)!), step.oneHot)));
    const fisher = modalities.map((m) => {
      const traces = kernels.get(m)!.filter((n) => grads[n] !== undefined).map((n) => tf.mean(tf.square(grads[n]!)));
      return traces.length === 0 ? tf.scalar(0) : tf.addN(traces);
    });
    return tf.stack([...scores, ...fisher]).dataSync();
  });
  const pick = (offset: number): Record<string, number> => Object.fromEntries(modalities.map((m, i) => [m, values[offset + i]!]));
  return { scores: pick(0), fisher: pick(modalities.length) };
}

function infoRegHooks(o: InfoRegOptions, history: History, anchors: Map<string, tf.Tensor>, model: MultiHeadModel, run: StepHookContext): LoopHooks {
  const owners = model.variableOwners();
  const variables = new Map(model.variables().map((v) => [v.name, v]));
  const encoderOf = new Map<string, string>();
  const kernels = new Map<string, string[]>(model.modalities.map((m) => [m, []]));
  for (const [name, owner] of owners) {
    if (owner.kind !== 'encoder') continue;
    encoderOf.set(name, owner.modality);
    // Weight kernels only (rank 2 and up), as the authors' trace over Conv and Linear weights.
    if (variables.get(name)!.rank >= 2) kernels.get(owner.modality)!.push(name);
  }
  const means = new EpochMeans();
  let epochInformation = 0;
  let anchoredEpoch = -1;
  let inWindow = false;
  return {
    afterBackward(grads, step, info) {
      if (info.epoch !== anchoredEpoch) {
        // The epoch's first step, before the optimizer moves anything: decide the window, take the anchor.
        anchoredEpoch = info.epoch;
        inWindow = informationGrowth(history.information, o.window) > o.threshold;
        tf.dispose([...anchors.values()]);
        anchors.clear();
        if (inWindow) for (const name of encoderOf.keys()) anchors.set(name, tf.keep(variables.get(name)!.clone()));
      }
      const { scores, fisher } = stepMeasures(step, grads, kernels);
      epochInformation += Object.values(fisher).reduce((s, v) => s + v, 0);
      const beta = inWindow ? regulationStrengths(scores, o.beta) : Object.fromEntries(model.modalities.map((m) => [m, 0]));
      means.add(Object.fromEntries(model.modalities.map((m) => [`beta_${m}`, beta[m]!])));
      if (!inWindow) return grads;
      const out: tf.NamedTensorMap = { ...grads };
      for (const [name, m] of encoderOf) {
        if (beta[m] === 0 || grads[name] === undefined) continue;
        out[name] = tf.add(grads[name]!, tf.mul(tf.sub(variables.get(name)!, anchors.get(name)!), beta[m]!));
      }
      return out;
    },
    async afterEpoch() {
      const growth = informationGrowth(history.information, o.window);
      history.information.push(epochInformation);
      means.flush((stats) => run.report({ ...stats, information: epochInformation, growth, window: inWindow ? 1 : 0 }));
      epochInformation = 0;
    },
  };
}

export const inforeg: MethodDefinition = {
  name: 'inforeg',
  summary: 'aux heads on plain losses; early on (while information grows fast) the leading encoder is pulled back to its epoch-start weights (CVPR 2025)',
  cost: 'aux plus a Fisher trace per step and, in the window, a copy of the encoders per epoch and one term per encoder tensor',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    const history: History = { information: [] };
    const anchors = new Map<string, tf.Tensor>();
    return {
      ...onEveryPlainLoss('inforeg'),
      stepHooks: (model, run) => infoRegHooks(o, history, anchors, model, run),
      saveState: () => structuredClone(history),
      loadState: (saved) => Object.assign(history, structuredClone(saved as History)),
      dispose: () => {
        tf.dispose([...anchors.values()]);
        anchors.clear();
      },
    };
  },
};
