/**
 * One schema for every option: the library API, config files and the CLI all validate through it,
 * and it is the single source of defaults. Descriptions here feed `--help`.
 */
import { z } from 'zod';
import { isMethodName, METHOD_SPELLINGS, METHODS } from '../methods/registry.js';
import { FUSION_NAMES, splitRunName, type FusionName } from '../models/fusions/names.js';

/** A method of the registry (src/methods/registry.ts). */
export const methodSchema = z
  .string()
  .refine(isMethodName, { message: `must be one of ${METHOD_SPELLINGS.join(', ')}` })
  .describe(`training method: ${METHOD_SPELLINGS.join(', ')}`);

/** Each method's own options, under its name, with its paper's defaults (methods without options have no key). */
export const methodOptionsSchema = z
  .object(Object.fromEntries(METHODS.flatMap((m) => (m.options ? [[m.name, m.options.prefault({})]] : []))))
  .strict();

const fusionSchema = z.enum(FUSION_NAMES as [FusionName, ...FusionName[]]);

export const optimizerSchema = z
  .object({
    kind: z.enum(['sgd', 'adam']).default('sgd').describe('optimizer: sgd (with momentum) or adam'),
    lr: z.number().positive().default(0.01).describe('learning rate'),
    momentum: z.number().min(0).max(1).default(0.9).describe('SGD momentum (ignored by adam)'),
    weightDecay: z.number().min(0).default(1e-4).describe('L2 weight decay added to every gradient'),
  })
  .strict();

export const modelSchema = z
  .object({
    mlpHidden: z.array(z.number().int().positive()).min(1).default([256, 128]).describe('MLP encoder widths (vector inputs)'),
    convChannels: z.array(z.number().int().positive()).min(1).default([16, 32]).describe('conv encoder channels per block (2-D inputs)'),
    convFeatures: z.number().int().positive().default(128).describe('conv encoder output features'),
    fusedHidden: z.number().int().positive().default(128).describe('hidden width of the fused head'),
    dropout: z.number().min(0).max(0.95).default(0).describe('dropout after every encoder layer'),
    fusedDropout: z.number().min(0).max(0.95).default(0).describe("dropout on the fused head's input, the fusion's output (the paper's dropout baseline)"),
    fusion: fusionSchema.default('late').describe(`how the fused head combines the modalities: ${FUSION_NAMES.join(', ')} (docs/methods.md, Fusions)`),
    lmfRank: z.number().int().positive().default(4).describe('rank of the low-rank fusion (fusion lmf)'),
  })
  .strict();

export const blendSchema = z
  .object({
    metric: z.enum(['loss', 'accuracy']).default('loss').describe('OGR measured on loss or on error rate'),
    floor: z.enum(['se', 'abs']).default('se').describe('floor on |dO|: se = max(eps, z*standard error), abs = eps'),
    z: z.number().min(0).default(1).describe('multiplier of the standard error in the se floor (and in gain significant)'),
    gain: z.enum(['positive', 'significant']).default('positive').describe('a head gets weight when dG > 0 (positive, the paper) or dG > z standard errors of dG (significant)'),
    eps: z.number().positive().default(1e-6).describe('smallest |dO| floor'),
    mode: z.enum(['shared', 'shared-full', 'all']).default('shared-full').describe("shared-full: weights scale encoder gradients only, each head's own layers train on its unweighted gradient at any weight; shared: the same, but a head's own layers slow below weight 1e-3 and stop at 0; all: plain weighted loss"),
    warmupEpochs: z.number().int().positive().default(10).describe('online: length of the first super-epoch'),
    superEpochEpochs: z.number().int().positive().default(5).describe('online: length of later super-epochs'),
    estimateEpochs: z.number().int().positive().nullable().default(null).describe("epochs each estimate's copies train (default: offline all epochs, online the super-epoch's length; online never more)"),
    estimateEvery: z.number().int().positive().default(1).describe('online: estimate before every k-th super-epoch (the warm-up always); the others keep the last weights'),
    estimateFraction: z.number().gt(0).max(1).default(1).describe('fraction of the training rows each estimate\'s copies train on (a random subset per estimate; 1: all, the paper)'),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    data: z.string().min(1).default('avdigits').describe('dataset directory or built-in name'),
    modalities: z.array(z.string().min(1)).min(1).nullable().default(null).describe('modalities to use (default: all)'),
    method: methodSchema.default('gblend-online'),
    epochs: z.number().int().positive().default(20).describe('training epochs'),
    batchSize: z.number().int().positive().default(64).describe('minibatch size'),
    seed: z.number().int().min(0).default(0).describe('seed for splits, initialisation and shuffling'),
    valFraction: z.number().gt(0).lt(1).default(0.1).describe("fraction of the training set held out as V (T' has the same size)"),
    testFraction: z.number().gt(0).lt(1).default(0.2).describe('test fraction for datasets without their own split'),
    inputNoise: z.record(z.string(), z.number().min(0)).default({}).describe('per modality, Gaussian noise of this std (in std units of its standardised features) added once to every example, the same in every run: a knob of imbalance for experiments (default: none)'),
    trainExamples: z.number().int().min(2).nullable().default(null).describe('train on a stratified random subset of this many training examples, V included, drawn per seed (default: all)'),
    optimizer: optimizerSchema.prefault({}),
    model: modelSchema.prefault({}),
    blend: blendSchema.prefault({}),
    methodOptions: methodOptionsSchema.prefault({}),
    backend: z.enum(['auto', 'native', 'wasm', 'cpu']).default('auto').describe('tensor backend: auto = native when its addon loads, else wasm'),
    threads: z.number().int().positive().nullable().default(null).describe('compute threads for the native backend (default: 1, fastest for small layers; wasm in Node uses 1)'),
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type BlendConfig = z.infer<typeof blendSchema>;

/** A method listed twice would train twice and report a spread of 0 over identical runs. */
function noDuplicates(list: string[], ctx: z.RefinementCtx): void {
  const twice = list.find((m, i) => list.indexOf(m) !== i);
  if (twice !== undefined) ctx.addIssue({ code: 'custom', message: `lists '${twice}' twice; each may appear once` });
}

/** A method, or `method@fusion` to run it with that fusion in a comparison (api/comparison-grid.ts). */
function isRunName(name: string): boolean {
  const { method, fusion } = splitRunName(name);
  return isMethodName(method) && (fusion === null || (FUSION_NAMES as readonly string[]).includes(fusion));
}

/** `compare`: the training options shared by every run, plus which methods and how many seeds. */
export const compareConfigSchema = trainConfigSchema
  .omit({ method: true, seed: true })
  .extend({
    methods: z.array(z.string().refine(isRunName, { message: `must be one of ${METHOD_SPELLINGS.join(', ')}, or one of them @ a fusion (${FUSION_NAMES.join(', ')})` })).min(1).superRefine(noDuplicates).nullable().default(null).describe(`methods to compare (default: ${METHODS.filter((m) => m.inDefaults).map((m) => (m.inDefaults === 'per-modality' ? `${m.name}:<each modality>` : m.name)).join(', ')})`),
    fusions: z.array(fusionSchema).min(1).superRefine(noDuplicates).nullable().default(null).describe('fusions to cross with every method, runs named method@fusion (one fusion: the same as model.fusion)'),
    seeds: z.number().int().positive().default(1).describe('number of seeds; runs seeds 0..S-1'),
    out: z.string().min(1).nullable().default(null).describe('folder for results.json and runs/*.jsonl (default: none written)'),
  })
  .strict();

export type CompareConfig = z.infer<typeof compareConfigSchema>;
export type CompareConfigInput = z.input<typeof compareConfigSchema>;
