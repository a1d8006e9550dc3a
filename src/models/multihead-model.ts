/**
 * The multi-head late-fusion model: an encoder per modality, a uni-modal head per modality,
 * and a fused head on the concatenated features. Heads and encoders are plain layers so that
 * training can route gradients per head (Gradient-Blending) and estimation can copy exactly the
 * parameters one head depends on.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelConfig } from '../config/schema.js';
import { createRng } from '../core/rng.js';
import { ModelError, buildEncoder, safeName, type Encoder, type EncoderSpec } from './encoders.js';
import type { Normalizer } from '../core/normalize.js';
import { applyNormalization } from './normalization-layer.js';
import { FUSED, buildFusedHead, buildUniHead, type Head } from './heads.js';
import { scaleGradient } from './scale-gradient.js';

export interface ModelSpec {
  encoders: EncoderSpec[];
  /** Head names: modality names and/or 'fused'. */
  heads: string[];
  numClasses: number;
  config: ModelConfig;
}

export interface ForwardOptions {
  training: boolean;
  /** Per head, the factor on the gradient that flows from that head into the encoders. */
  gradScale?: Record<string, number>;
  /** Source of dropout seeds, so runs are reproducible. */
  nextSeed?: () => number;
  /** Receives each modality's encoder output (for methods that act on a modality's contribution). */
  onFeatures?: (features: Map<string, tf.Tensor>) => void;
}

/** Which part of the model a trainable variable belongs to: a modality's encoder, or a head's own layers. */
export type VariableOwner = { kind: 'encoder'; modality: string } | { kind: 'head'; head: string };

export class MultiHeadModel {
  readonly encoders = new Map<string, Encoder>();
  readonly heads = new Map<string, Head>();
  /** Inference graph over the same layers: one named input per modality, one output per head. */
  readonly graph: tfl.LayersModel;

  constructor(readonly spec: ModelSpec, seed: number) {
    // Each layer's initial weights depend only on (seed, layer name), so a layer starts the same in
    // every method that has it: naive, aux and G-Blend runs of one seed start from one snapshot.
    const rng = createRng(seed);
    const seedFor = (layer: string): number => rng.fork(layer).int(2 ** 31 - 1);
    const needed = new Set<string>();
    for (const h of spec.heads) {
      if (h === FUSED) spec.encoders.forEach((e) => needed.add(e.modality));
      else needed.add(h);
    }
    for (const e of spec.encoders) {
      if (needed.has(e.modality)) this.encoders.set(e.modality, buildEncoder(e, spec.config, seedFor));
    }
    for (const h of spec.heads) {
      if (h === FUSED) {
        this.heads.set(FUSED, buildFusedHead([...this.encoders.keys()], spec.config.fusedHidden, spec.numClasses, seedFor));
      } else if (this.encoders.has(h)) {
        this.heads.set(h, buildUniHead(h, spec.numClasses, seedFor));
      } else {
        throw new Error(`head '${h}' names no modality of the model`);
      }
    }
    this.checkUniqueLayerNames();
    this.graph = this.buildGraph();
  }

  /** Modality names that differ only in punctuation would share layer names, and weights would be mixed up. */
  private checkUniqueLayerNames(): void {
    const seen = new Map<string, string>();
    const all = [...[...this.encoders].map(([m, e]) => [m, e.layers] as const), ...[...this.heads].map(([h, head]) => [h, head.layers] as const)];
    for (const [owner, layers] of all) {
      for (const layer of layers) {
        const other = seen.get(layer.name);
        if (other !== undefined && other !== owner) {
          throw new ModelError('name_clash', `modalities '${other}' and '${owner}' map to the same layer name '${layer.name}': rename one of them`);
        }
        seen.set(layer.name, owner);
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
    const inputs: tfl.SymbolicTensor[] = [];
    const features = new Map<string, tfl.SymbolicTensor>();
    for (const [m, enc] of this.encoders) {
      const input = tfl.input({ shape: enc.spec.inputShape, name: `in_${safeName(m)}` });
      inputs.push(input);
      const norm = normalizers?.[m];
      const x0 = norm === undefined ? input : applyNormalization(input, m, enc.spec.inputShape, norm);
      features.set(m, enc.layers.reduce((x, layer) => layer.apply(x) as tfl.SymbolicTensor, x0));
    }
    const outputs = [...this.heads.values()].map((head) => {
      const feats = head.modalities.map((m) => features.get(m)!);
      const x0 = feats.length === 1 ? feats[0]! : (tfl.layers.concatenate({ name: 'fuse_concat' }).apply(feats) as tfl.SymbolicTensor);
      return head.layers.reduce((x, layer) => layer.apply(x) as tfl.SymbolicTensor, x0);
    });
    return tfl.model({ inputs, outputs, name: 'gblend' });
  }

  private encode(m: string, x: tf.Tensor, opts: ForwardOptions): tf.Tensor {
    const enc = this.encoders.get(m)!;
    const rate = this.spec.config.dropout;
    return enc.layers.reduce((h, layer, i) => {
      let y = layer.apply(h, { training: opts.training }) as tf.Tensor;
      if (opts.training && rate > 0 && enc.dropoutAfter.has(i)) {
        y = tf.dropout(y, rate, undefined, opts.nextSeed ? opts.nextSeed() : undefined);
      }
      return y;
    }, x);
  }

  /** Logits per head. Call inside tf.tidy or a gradient function. */
  forward(inputs: Record<string, tf.Tensor>, opts: ForwardOptions): Map<string, tf.Tensor> {
    const features = new Map<string, tf.Tensor>();
    for (const m of this.encoders.keys()) {
      const x = inputs[m];
      if (x === undefined) throw new Error(`missing input for modality '${m}'`);
      features.set(m, this.encode(m, x, opts));
    }
    opts.onFeatures?.(features);
    const out = new Map<string, tf.Tensor>();
    for (const [name, head] of this.heads) {
      const feats = head.modalities.map((m) => features.get(m)!);
      let x = feats.length === 1 ? feats[0]! : tf.concat(feats, 1);
      const fusedRate = this.spec.config.fusedDropout;
      if (name === FUSED && opts.training && fusedRate > 0) x = tf.dropout(x, fusedRate, undefined, opts.nextSeed ? opts.nextSeed() : undefined);
      const scale = opts.gradScale?.[name];
      if (scale !== undefined && scale !== 1) x = scaleGradient(x, scale);
      out.set(name, head.layers.reduce((h, layer) => layer.apply(h) as tf.Tensor, x));
    }
    return out;
  }

  /**
   * Head `name`'s logits on given encoder features (one per modality the head reads), without
   * gradient scaling: what-if evaluations such as a modality's contribution with the others zeroed.
   */
  applyHead(name: string, features: Map<string, tf.Tensor>): tf.Tensor {
    const head = this.heads.get(name);
    if (head === undefined) throw new Error(`no head '${name}'`);
    const feats = head.modalities.map((m) => features.get(m)!);
    const x = feats.length === 1 ? feats[0]! : tf.concat(feats, 1);
    return head.layers.reduce((h, layer) => layer.apply(h) as tf.Tensor, x);
  }

  /** Trainable variables, in a fixed order. */
  variables(): tf.Variable[] {
    return this.graph.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * For each trainable variable (by name), the encoder or head it belongs to, so that a method can act
   * per modality (scale one encoder's gradient) or per head. Every variable of `variables()` is here once.
   */
  variableOwners(): Map<string, VariableOwner> {
    const owners = new Map<string, VariableOwner>();
    const add = (layers: tfl.layers.Layer[], owner: VariableOwner): void => {
      for (const layer of layers) for (const w of layer.trainableWeights) owners.set((w.read() as tf.Variable).name, owner);
    };
    for (const [modality, enc] of this.encoders) add(enc.layers, { kind: 'encoder', modality });
    for (const [head, h] of this.heads) add(h.layers, { kind: 'head', head });
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
