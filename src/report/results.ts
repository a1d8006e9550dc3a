/** Aggregates per-seed test results into results.json (mean ± std per method and per head). */
import { pairedComparison, type PairedComparison } from '../core/paired.js';
import { meanStd } from '../core/stats.js';
import type { TrainConfig } from '../config/schema.js';
import type { TestHeadMetrics } from '../train/events.js';

export interface SeedResult {
  method: string;
  seed: number;
  weights: Record<string, number>;
  test: Record<string, TestHeadMetrics>;
  seconds: number;
}

export interface Aggregate {
  mean: number;
  std: number;
  values: number[];
}

export interface MethodResults {
  seeds: number[];
  /** Test top-1 of the head the method predicts with (fused, or the single head of uni:<m>). */
  test_acc: Aggregate;
  test_macro_f1: Aggregate;
  /** Test top-1 of every head the method trained. */
  heads: Record<string, Aggregate>;
  /** Last blend weights, one object per seed. */
  weights: Record<string, number>[];
  seconds: Aggregate;
  /**
   * Test top-1 against naive fusion's on the same seeds (the same reference as time_vs_naive):
   * mean and std of the per-seed differences, a paired t-test, wins and losses; null without naive
   * (and for naive itself).
   */
  vs_naive?: PairedComparison | null;
  /**
   * Mean wall time per run over naive fusion's in the same comparison (with fusions crossed, naive@late's,
   * else the first naive@ run's); null without a naive run.
   */
  time_vs_naive: number | null;
}

export interface Results {
  dataset: string;
  modalities: string[];
  epochs: number;
  backend: string;
  threads: number;
  /** The options shared by every run (everything but method and seed). */
  config: Omit<TrainConfig, 'method' | 'seed'>;
  methods: Record<string, MethodResults>;
  /** Only in a report of an interrupted comparison (never in a results.json): the runs not finished. */
  interrupted?: { finished: number; total: number; missing: string[] };
}

function aggregate(values: number[]): Aggregate {
  const { mean, std } = meanStd(values);
  return { mean, std, values };
}

/** The head whose output is the method's prediction. */
export function predictionHead(test: Record<string, TestHeadMetrics>): string {
  const heads = Object.keys(test);
  return heads.includes('fused') ? 'fused' : heads[0]!;
}

export function aggregateResults(
  meta: Omit<Results, 'methods'>,
  runs: SeedResult[],
): Results {
  const methods: Record<string, MethodResults> = {};
  const byMethod = new Map<string, SeedResult[]>();
  for (const r of runs) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  for (const [method, list] of byMethod) {
    const headNames = Object.keys(list[0]!.test);
    methods[method] = {
      seeds: list.map((r) => r.seed),
      test_acc: aggregate(list.map((r) => r.test[predictionHead(r.test)]!.acc)),
      test_macro_f1: aggregate(list.map((r) => r.test[predictionHead(r.test)]!.macro_f1)),
      heads: Object.fromEntries(headNames.map((h) => [h, aggregate(list.map((r) => r.test[h]!.acc))])),
      weights: list.map((r) => r.weights),
      seconds: aggregate(list.map((r) => r.seconds)),
      time_vs_naive: null,
      vs_naive: null,
    };
  }
  // With fusions crossed (naive@late, naive@mid...), the reference is naive with the default fusion.
  const reference = methods.naive ?? methods['naive@late'] ?? Object.entries(methods).find(([name]) => name.startsWith('naive@'))?.[1];
  const naive = reference?.seconds.mean;
  if (naive !== undefined && naive > 0) for (const m of Object.values(methods)) m.time_vs_naive = m.seconds.mean / naive;
  if (reference !== undefined) {
    for (const m of Object.values(methods)) {
      if (m === reference) continue;
      const seeds = m.seeds.filter((s) => reference.seeds.includes(s));
      if (seeds.length === 0) continue;
      const acc = (r: MethodResults, s: number): number => r.test_acc.values[r.seeds.indexOf(s)]!;
      m.vs_naive = pairedComparison(seeds.map((s) => acc(m, s)), seeds.map((s) => acc(reference, s)));
    }
  }
  return { ...meta, methods };
}
