/**
 * Trains one model with one method and one seed, from a loaded dataset, and scores it on the
 * test set. Emits run events (start, epoch, blend_estimate, test) to the caller's callbacks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../config/schema.js';
import { accuracy, argmaxRows, macroF1, topKCorrect } from '../core/metrics.js';
import { createRng, type Rng } from '../core/rng.js';
import { classWarnings } from '../core/split-warnings.js';
import type { Dataset } from '../data/index.js';
import { engineInfo } from '../engine/index.js';
import { chooseEncoderKind } from '../models/encoders.js';
import { FUSED } from '../models/heads.js';
import { MultiHeadModel } from '../models/multihead-model.js';
import { estimateWeights } from './estimate.js';
import { encodeRows, evaluateHeads, meanOf } from './evaluate.js';
import type { HeadEpochStats, TestHeadMetrics, TrainCallbacks } from './events.js';
import { trainEpochs } from './loop.js';
import { captureRunState, restoreRunState, type RunParts, type RunState } from './checkpoint.js';
import { DivergedError } from './diverged.js';
import type { StopSignal } from './interrupted.js';
import { MethodError, type Method } from './method.js';
import { makeOptimizer } from './optimizer.js';
import { checkInputNoise, computeSplits, disposePrepared, prepareData, type PreparedData, type Splits } from './prepared-data.js';

export interface TrainedRun {
  model: MultiHeadModel;
  method: string;
  seed: number;
  weights: Record<string, number>;
  test: Record<string, TestHeadMetrics>;
  /** What predicting on new data needs: classes, shapes and input normalisation. */
  data: Pick<PreparedData, 'name' | 'classes' | 'modalities' | 'shapes' | 'normalizers'>;
  config: TrainConfig;
}

async function epochStats(model: MultiHeadModel, data: PreparedData): Promise<Record<string, HeadEpochStats>> {
  const onProbe = await evaluateHeads(model, data, data.splits.probe);
  const onVal = await evaluateHeads(model, data, data.splits.val);
  const stats: Record<string, HeadEpochStats> = {};
  for (const h of model.headNames) {
    const t = onProbe.get(h)!;
    const v = onVal.get(h)!;
    stats[h] = { train_loss: meanOf(t.losses), val_loss: meanOf(v.losses), train_acc: meanOf(t.correct), val_acc: meanOf(v.correct) };
  }
  return stats;
}

export async function testMetrics(model: MultiHeadModel, data: PreparedData, rows: number[]): Promise<Record<string, TestHeadMetrics>> {
  const numClasses = data.classes.length;
  const labels = rows.map((r) => data.labels[r]!);
  const outputs = await evaluateHeads(model, data, rows, true);
  const result: Record<string, TestHeadMetrics> = {};
  for (const [h, out] of outputs) {
    const pred = argmaxRows(out.scores!, numClasses);
    const m: TestHeadMetrics = { acc: accuracy(pred, labels), macro_f1: macroF1(pred, labels, numClasses) };
    if (numClasses > 5) m.top5 = meanOf(topKCorrect(out.scores!, numClasses, labels, 5));
    result[h] = m;
  }
  return result;
}

/**
 * Every check a run makes on its options and data before training: the method against the modalities
 * and the fusion, and the splits. Cheap, so `compare` runs it for every (method, seed) before training any of them.
 */
export function planRun(config: TrainConfig, dataset: Dataset, method: Method): { heads: string[]; splits: Splits } {
  const modalities = dataset.modalities.map((m) => m.name);
  if (modalities.includes(FUSED)) {
    throw new MethodError(`modality name '${FUSED}' is reserved for the fused head: rename that modality`);
  }
  const fusion = config.model.fusion;
  if (method.fusions !== undefined && !method.fusions.includes(fusion)) {
    throw new MethodError(`method '${method.name}' does not combine with fusion '${fusion}' (it is defined for ${method.fusions.join(', ')}; docs/methods.md, Fusions)`);
  }
  // Found here, before anything trains: compare plans every run first.
  checkInputNoise(dataset, config.inputNoise);
  return { heads: method.heads(modalities), splits: computeSplits(dataset, config.valFraction, config.testFraction, config.seed, config.trainExamples) };
}

/** The model a run trains: an encoder per modality, the given heads, initialised from the run's rng. */
export function modelFor(dataset: Dataset, heads: string[], config: TrainConfig, rng: Rng): MultiHeadModel {
  return new MultiHeadModel(
    {
      encoders: dataset.modalities.map((m) => ({ modality: m.name, inputShape: m.shape, kind: chooseEncoderKind(m.name, m.shape, m.encoder) })),
      heads,
      numClasses: dataset.classes.length,
      config: config.model,
    },
    rng.fork('init').int(2 ** 31 - 1),
  );
}

/**
 * Trains with `config` (already validated) on `dataset` by `method` (made from config.method by the
 * caller, from the registry in src/methods). The caller owns and disposes the returned model.
 */
/** How a run keeps and takes up checkpoints; without them it trains from scratch and saves nothing. */
export interface RunCheckpoints {
  /** The state to continue from (a checkpoint read back), or null to start fresh. */
  resume?: RunState | null;
  /** Names the resumed checkpoint in errors. */
  where?: string;
  /** Called at every epoch boundary that training continues past; stores the state. */
  save?(state: RunState): Promise<void>;
  /** Read before every step: once stopped, the run throws InterruptedError, keeping the last checkpoint. */
  stop?: StopSignal;
}

export async function trainOnDataset(config: TrainConfig, dataset: Dataset, method: Method, callbacks: TrainCallbacks = {}, checkpoints: RunCheckpoints = {}): Promise<TrainedRun> {
  const { heads, splits } = planRun(config, dataset, method);
  const runContext = [`method ${method.name}`, `seed ${config.seed}`];
  const data = prepareData(dataset, splits, config.inputNoise);
  const rng = createRng(config.seed);
  const emit = async (e: Parameters<NonNullable<TrainCallbacks['onEvent']>>[0]): Promise<void> => {
    await callbacks.onEvent?.(e);
  };
  const model = modelFor(dataset, heads, config, rng);
  const optimizer = makeOptimizer(config.optimizer);
  const resume = checkpoints.resume ?? null;
  const stop = checkpoints.stop ? { stop: checkpoints.stop } : {};
  try {
    const engine = engineInfo();
    // A resumed run's log already holds these, up to its checkpoint.
    if (resume === null) await emit({
      event: 'start', method: method.name, seed: config.seed, dataset: dataset.name, modalities: model.modalities, heads: model.headNames,
      backend: engine?.backend ?? tf.getBackend(), threads: engine?.threads ?? 1,
      ...(engine?.native ? { native: { torch: engine.native.torch, gemm: engine.native.gemm, blasCore: engine.native.blasCore } } : {}),
      sizes: { train: splits.train.length, val: splits.val.length, probe: splits.probe.length, test: splits.test.length }, config,
    });
    if (resume === null) for (const message of classWarnings(dataset.labels, dataset.classes, splits)) await emit({ event: 'warning', message });
    let weights = method.initialWeights(model.headNames);
    const mode = method.mode(config.blend);
    const parts: RunParts = { model, optimizer, method, rng: { train: rng.fork('train'), estimate: rng.fork('estimate'), method: rng.fork('method') } };
    const { train: trainRng, estimate: estimateRng } = parts.rng;
    let methodStats: Record<string, number> | null = null;
    // Made before a resume: a method's own variables (its hooks') have optimizer slots in the checkpoint.
    const hooks = method.stepHooks?.(model, {
      epochs: config.epochs, rng: parts.rng.method, report: (stats) => void (methodStats = stats),
      trainRows: splits.train, labels: data.labels, numClasses: data.classes.length, encode: (rows) => encodeRows(model, data, rows),
    });
    parts.methodVariables = hooks?.variables ?? [];
    if (resume !== null) {
      await restoreRunState(resume, parts, config, checkpoints.where ?? 'checkpoint');
      weights = resume.blendWeights;
    }
    let completed = resume?.epoch ?? 0;
    const ctx = {
      epochs: config.epochs,
      blend: config.blend,
      estimate: async (n: number, onNoSignal: 'previous' | 'uniform') => {
        const t0 = performance.now();
        const result = await estimateWeights(model, n, onNoSignal === 'previous' ? weights : null, {
          data, blend: config.blend, optimizer: config.optimizer, batchSize: config.batchSize, rng: estimateRng.fork(`at-${completed}`),
          ...(callbacks.onProgress ? { onProgress: callbacks.onProgress } : {}), ...stop,
        }).catch((err: unknown) => {
          throw err instanceof DivergedError ? err.within([...runContext, `blend estimate after epoch ${completed}`]) : err;
        });
        await emit({
          event: 'blend_estimate', epoch: completed, epochs: n, metric: config.blend.metric, floor: config.blend.floor,
          heads: result.heads, weights: result.weights, fallback: result.fallback, note: result.note, copies: result.copies, seconds: (performance.now() - t0) / 1000,
        });
        return result.weights;
      },
    };
    let t0 = performance.now();
    for (let epoch = completed; epoch < config.epochs; epoch++) {
      const next = await method.beforeEpoch(epoch, ctx);
      if (next !== null) {
        weights = next;
        t0 = performance.now();
      }
      methodStats = null;
      await trainEpochs({
        model, data, rows: splits.train, epochs: 1, firstEpoch: epoch, weights: () => ({ weights, mode }), optimizer, batchSize: config.batchSize, rng: trainRng,
        ...(hooks ? { hooks } : {}), ...stop,
      }).catch((err: unknown) => {
        throw err instanceof DivergedError ? err.within(runContext, epoch) : err;
      });
      completed = epoch + 1;
      callbacks.onProgress?.({ phase: 'train', epoch: completed, epochs: config.epochs });
      const heads = await epochStats(model, data);
      await emit({ event: 'epoch', epoch: completed, weights, heads, ...(methodStats ? { method: methodStats } : {}), seconds: (performance.now() - t0) / 1000 });
      t0 = performance.now();
      if (method.afterEpoch?.(completed, heads, model)) break;
      if (checkpoints.save && completed < config.epochs) await checkpoints.save(await captureRunState(parts, config, completed, weights));
    }
    const finished = method.finish?.(model) ?? null;
    if (finished !== null) await emit({ event: 'method_end', epochs: completed, ...finished });
    const test = await testMetrics(model, data, splits.test);
    await emit({ event: 'test', heads: test });
    return {
      model, method: method.name, seed: config.seed, weights, test, config,
      data: { name: data.name, classes: data.classes, modalities: data.modalities, shapes: data.shapes, normalizers: data.normalizers },
    };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    method.dispose?.();
    optimizer.dispose();
    disposePrepared(data);
  }
}
