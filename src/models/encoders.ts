/**
 * Encoders, one per modality, chosen from the modality's input shape (or its manifest hint):
 * an MLP for vectors, a small conv net for 2-D inputs (images, spectrograms).
 * An encoder is a plain list of tfjs-layers layers; dropout is applied by the model's forward pass,
 * not by a layer, so that it is seeded and the saved inference graph holds only standard layers.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelConfig } from '../config/schema.js';
import { UserError } from '../core/user-error.js';

export type EncoderKind = 'mlp' | 'conv';

export interface EncoderSpec {
  modality: string;
  inputShape: number[];
  kind: EncoderKind;
}

export interface Encoder {
  spec: EncoderSpec;
  layers: tfl.layers.Layer[];
  /** Indices into `layers` after which dropout applies in training. */
  dropoutAfter: Set<number>;
  outputDim: number;
}

export class ModelError extends UserError {}

/** Picks the encoder kind: the manifest hint if given, else by rank. */
export function chooseEncoderKind(modality: string, shape: number[], hint: EncoderKind | null): EncoderKind {
  if (hint === 'mlp') return 'mlp';
  const rank = shape.length;
  if (hint === 'conv' || rank === 2 || rank === 3) {
    if (rank !== 2 && rank !== 3) {
      throw new ModelError('bad_shape', `modality '${modality}': a conv encoder needs per-example shape [H, W] or [H, W, C], got [${shape.join(', ')}]`);
    }
    return 'conv';
  }
  if (rank === 1) return 'mlp';
  throw new ModelError('bad_shape', `modality '${modality}': no encoder for per-example shape [${shape.join(', ')}] (use vectors, [H, W] or [H, W, C], or "encoder": "mlp" to flatten)`);
}

/** Layer names must be valid tfjs identifiers; modality names come from users. */
export function safeName(modality: string): string {
  return modality.replace(/[^A-Za-z0-9_]/g, '_');
}

function seededGlorot(seed: number): ReturnType<typeof tfl.initializers.glorotUniform> {
  return tfl.initializers.glorotUniform({ seed });
}

function buildMlp(spec: EncoderSpec, cfg: ModelConfig, seedFor: (layer: string) => number, firstStageOnly: boolean): Encoder {
  const base = `enc_${safeName(spec.modality)}`;
  const layers: tfl.layers.Layer[] = [];
  const dropoutAfter = new Set<number>();
  if (spec.inputShape.length !== 1) layers.push(tfl.layers.flatten({ name: `${base}_flatten` }));
  const widths = firstStageOnly ? cfg.mlpHidden.slice(0, 1) : cfg.mlpHidden;
  widths.forEach((units, i) => {
    const name = `${base}_dense${i + 1}`;
    layers.push(tfl.layers.dense({ units, activation: 'relu', name, kernelInitializer: seededGlorot(seedFor(name)) }));
    dropoutAfter.add(layers.length - 1);
  });
  return { spec, layers, dropoutAfter, outputDim: widths[widths.length - 1]! };
}

function buildConv(spec: EncoderSpec, cfg: ModelConfig, seedFor: (layer: string) => number, firstStageOnly: boolean): Encoder {
  const base = `enc_${safeName(spec.modality)}`;
  const layers: tfl.layers.Layer[] = [];
  const dropoutAfter = new Set<number>();
  if (spec.inputShape.length === 2) {
    layers.push(tfl.layers.reshape({ targetShape: [spec.inputShape[0]!, spec.inputShape[1]!, 1], name: `${base}_channels` }));
  }
  let h = spec.inputShape[0]!;
  let w = spec.inputShape[1]!;
  const channels = firstStageOnly ? cfg.convChannels.slice(0, 1) : cfg.convChannels;
  channels.forEach((filters, i) => {
    const name = `${base}_conv${i + 1}`;
    layers.push(tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name, kernelInitializer: seededGlorot(seedFor(name)) }));
    // Pool only while the map is big enough; tiny inputs keep their resolution.
    if (h >= 4 && w >= 4) {
      layers.push(tfl.layers.maxPooling2d({ poolSize: 2, name: `${base}_pool${i + 1}` }));
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
  });
  layers.push(tfl.layers.flatten({ name: `${base}_flatten` }));
  dropoutAfter.add(layers.length - 1);
  if (firstStageOnly) return { spec, layers, dropoutAfter, outputDim: h * w * channels[0]! };
  layers.push(tfl.layers.dense({ units: cfg.convFeatures, activation: 'relu', name: `${base}_dense`, kernelInitializer: seededGlorot(seedFor(`${base}_dense`)) }));
  dropoutAfter.add(layers.length - 1);
  return { spec, layers, dropoutAfter, outputDim: cfg.convFeatures };
}

/**
 * `firstStageOnly`: only the first stage (an MLP's first dense layer; a conv net's first block, flattened),
 * for fusions that continue the encoders with shared layers (fusions/mid.ts).
 */
export function buildEncoder(spec: EncoderSpec, cfg: ModelConfig, seedFor: (layer: string) => number, firstStageOnly = false): Encoder {
  return spec.kind === 'mlp' ? buildMlp(spec, cfg, seedFor, firstStageOnly) : buildConv(spec, cfg, seedFor, firstStageOnly);
}
