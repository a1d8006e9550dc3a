/**
 * The multi-head model: an encoder per modality, a uni-modal head per modality, and a fused head on
 * the fusion of the modalities' features (fusions/: late concatenation by default). Heads and encoders
 * are plain layers so that training can route gradients per head (Gradient-Blending) and estimation
 * can copy exactly the parameters one head depends on. The topology is written once (`flow`): the
 * saved graph applies it to symbolic inputs, training and evaluation to tensors, with the training-only
 * insertions (dropout, gradient scales, feature taps) as `Taps` that are the identity in the graph.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelConfig } from '../config/schema.js';
import { createRng } from '../core/rng.js';
import { ModelError, buildEncoder, safeName, type Encoder, type EncoderSpec } from './encoders.js';
import type { Normalizer } from '../core/normalize.js';
import { applyNormalization } from './normalization-layer.js';
import { FUSED, buildFusedHead, buildUniHead, type Head } from './heads.js';
import { applyLayer, buildFusion, type Flow, type Fusion } from './fusions/index.js';
import { GRAPH_TAPS, PLAIN_TAPS, trainingTaps, type ForwardOptions, type Taps } from './taps.js';

export interface ModelSpec {
  encoders: EncoderSpec[];
  /** Head names: modality names and/or 'fused'. */
  heads: string[];
  numClasses: number;
  config: ModelConfig;
}

/**
 * Which part of the model a trainable variable belongs to: a modality's encoder, a head's own layers,
 * or the fusion's layers (between the encoders and the fused head's own layers; read by the fused head only).
 */
export type VariableOwner = { kind: 'encoder'; modality: string } | { kind: 'head'; head: string } | { kind: 'fusion' };

export class MultiHeadModel {
  readonly encoders = new Map<string, Encoder>();
  readonly heads = new Map<string, Head>();
  /** The fusion the fused head reads (null without a fused head). */
  readonly fusion: Fusion | null = null;
  /** Inference graph over the same layers: one named input per modality, one output per head. */
  readonly graph: tfl.LayersModel;

  constructor(readonly spec: ModelSpec, seed: number) {
    // Each layer's initial weights depend only on (seed, layer name), so a layer starts the same in
    // every method that has it: naive, aux and G-Blend runs of one seed start from one snapshot.
    const rng = createRng(seed);
    const seedFor = (layer: string): number => rng.fork(layer).int(2 ** 31 - 1);
    const needed = new Set(spec.heads.flatMap((h) => (h === FUSED ? spec.encoders.map((e) => e.modality) : [h])));
    // Mid fusion continues every encoder's first stage with shared layers; its uni-modal heads read that stage.
    const firstStageOnly = spec.config.fusion === 'mid';
    for (const e of spec.encoders) {
      if (needed.has(e.modality)) this.encoders.set(e.modality, buildEncoder(e, spec.config, seedFor, firstStageOnly));
    }
    for (const h of spec.heads) {
      if (h === FUSED) {
        const encs = [...this.encoders.values()];
        const ctx = { modalities: this.modalities, featureDims: encs.map((e) => e.outputDim), kinds: encs.map((e) => e.spec.kind), config: spec.config, seedFor };
        this.fusion = buildFusion(spec.config.fusion, ctx);
        this.heads.set(FUSED, buildFusedHead(this.modalities, this.fusion.headHidden ? spec.config.fusedHidden : null, spec.numClasses, seedFor));
      } else if (this.encoders.has(h)) {
        this.heads.set(h, buildUniHead(h, spec.numClasses, seedFor));
      } else {
        throw new Error(`head '${h}' names no modality of the model`);
      }
    }
    this.checkUniqueLayerNames();
    this.graph = this.buildGraph();
  }

  /** Every layer with its owner, and the owner's name for messages. */
  private ownedLayers(): { name: string; owner: VariableOwner; layers: tfl.layers.Layer[] }[] {
    const encoders = [...this.encoders].map(([m, e]) => ({ name: m, owner: { kind: 'encoder', modality: m } as const, layers: e.layers }));
    const heads = [...this.heads].map(([h, head]) => ({ name: h, owner: { kind: 'head', head: h } as const, layers: head.layers }));
    return [...encoders, ...heads, ...(this.fusion ? [{ name: `fusion ${this.fusion.name}`, owner: { kind: 'fusion' } as const, layers: this.fusion.layers }] : [])];
  }

  /** Modality names that differ only in punctuation would share layer names, and weights would be mixed up. */
  private checkUniqueLayerNames(): void {
    const seen = new Map<string, string>();
    for (const { name, layers } of this.ownedLayers()) {
      for (const layer of layers) {
        const other = seen.get(layer.name);
        if (other !== undefined && other !== name) throw new ModelError('name_clash', `modalities '${other}' and '${name}' map to the same layer name '${layer.name}': rename one of them`);
        seen.set(layer.name, name);
      }
    }
  }

  get modalities(): string[] {
    return [...this.encoders.keys()];
  }

  get headNames(): string[] {
    return [...this.heads.keys()];
  }

  /**
   * The graph to save: the inference graph over the same layers, preceded per input by the training
   * normalisation, so that it takes raw inputs. Dispose it after saving: that frees only its own
   * normalisation layers, since the shared layers stay referenced by `graph`.
   */
  exportGraph(normalizers: Record<string, Normalizer>): tfl.LayersModel {
    return this.buildGraph(normalizers);
  }

  /** Builds every layer (so weights exist from the start) and the inference graph, optionally on raw inputs. */
  private buildGraph(normalizers?: Record<string, Normalizer>): tfl.LayersModel {
    const inputs = new Map<string, tfl.SymbolicTensor>();
    const normalized = new Map<string, tfl.SymbolicTensor>();
    for (const [m, enc] of this.encoders) {
      const input = tfl.input({ shape: enc.spec.inputShape, name: `in_${safeName(m)}` });
      inputs.set(m, input);
      const norm = normalizers?.[m];
      normalized.set(m, norm === undefined ? input : applyNormalization(input, m, enc.spec.inputShape, norm));
    }
    const outputs = this.flow(normalized, GRAPH_TAPS);
    return tfl.model({ inputs: [...inputs.values()], outputs: [...outputs.values()], name: 'gblend' });
  }

  /** The model's one forward definition: each head's output from each modality's input. */
  private flow<T extends Flow>(inputs: Map<string, T>, taps: Taps<T>): Map<string, T> {
    const features = new Map<string, T>();
    for (const [m, enc] of this.encoders) {
      const x = inputs.get(m);
      if (x === undefined) throw new Error(`missing input for modality '${m}'`);
      features.set(m, enc.layers.reduce((h, layer, i) => taps.afterEncoderLayer(m, i, applyLayer(layer, h)), x));
    }
    taps.features(features);
    return new Map([...this.heads.keys()].map((name) => [name, this.headFlow(name, features, taps)]));
  }

  private headFlow<T extends Flow>(name: string, features: Map<string, T>, taps: Taps<T>): T {
    const head = this.heads.get(name);
    if (head === undefined) throw new Error(`no head '${name}'`);
    // A head's gradient into the encoders is scaled where the head's own layers start (Fusion.trainable).
    let x: T;
    if (name !== FUSED) x = taps.headInput(name, features.get(head.modalities[0]!)!);
    else if (this.fusion!.trainable) x = taps.fusedInput(this.fusion!.apply(head.modalities.map((m) => taps.headInput(name, features.get(m)!)), taps));
    else x = taps.headInput(name, taps.fusedInput(this.fusion!.apply(head.modalities.map((m) => features.get(m)!), taps)));
    return head.layers.reduce((h, layer) => applyLayer(layer, h), x);
  }

  /** Logits per head. Call inside tf.tidy or a gradient function. */
  forward(inputs: Record<string, tf.Tensor>, opts: ForwardOptions): Map<string, tf.Tensor> {
    return this.flow(new Map(Object.entries(inputs)), trainingTaps(opts, this.encoders, this.spec.config));
  }

  /**
   * Head `name`'s logits on given encoder features (one per modality the head reads), without
   * gradient scaling: what-if evaluations such as a modality's contribution with the others zeroed.
   */
  applyHead(name: string, features: Map<string, tf.Tensor>): tf.Tensor {
    return this.headFlow(name, features, PLAIN_TAPS);
  }

  /** Trainable variables, in a fixed order. */
  variables(): tf.Variable[] {
    return this.graph.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * For each trainable variable (by name), the encoder, head or fusion it belongs to, so that a method can act
   * per modality (scale one encoder's gradient) or per head. Every variable of `variables()` is here once.
   */
  variableOwners(): Map<string, VariableOwner> {
    const owners = new Map<string, VariableOwner>();
    for (const { owner, layers } of this.ownedLayers()) {
      for (const layer of layers) for (const w of layer.trainableWeights) owners.set((w.read() as tf.Variable).name, owner);
    }
    return owners;
  }

  /** Copies the weights of every layer that both models have (matched by layer name). */
  copyWeightsFrom(source: MultiHeadModel): void {
    const byName = new Map(source.graph.layers.map((l) => [l.name, l]));
    for (const layer of this.graph.layers) {
      const src = byName.get(layer.name);
      if (src !== undefined && src.weights.length > 0) layer.setWeights(src.getWeights());
    }
  }

  /**
   * A separate model holding exactly what head `head` depends on (its encoders and classifier),
   * with the same weights: the copy that Gradient-Blending's estimate trains alone.
   */
  subModel(head: string): MultiHeadModel {
    const keep = head === FUSED ? this.modalities : [head];
    const sub = new MultiHeadModel(
      { ...this.spec, encoders: this.spec.encoders.filter((e) => keep.includes(e.modality)), heads: [head] },
      0,
    );
    sub.copyWeightsFrom(this);
    return sub;
  }

  dispose(): void {
    this.graph.dispose();
  }
}
