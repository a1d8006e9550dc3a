/**
 * The counting half of the step breakdown (no valgrind): per small_mlp_step step and per epoch
 * evaluation (every head on T', then on V), how many kernels, engine ops, tensors, scopes, tape nodes
 * and addon calls; and, over a whole small_run (a naive and a gblend-online run), how many training
 * steps and epoch evaluations it makes.
 */
import { smallConfig, twoViewDataset } from '../workloads/small-setup.js';
import { smallStep, SMALL_HEADS } from '../workloads/small-mlp-step.js';
import { SMALL_RUN_METHODS } from '../workloads/small-run.js';
import { timedRun } from '../workloads/timed-run.js';
import { countOptimizer, currentCounts, installCounters, resetCounts, type Counts } from './counters.js';
import { epochEvaluation } from './regions.js';

/** Counts divided by `n` (per step, per pass). */
function per(c: Counts, n: number): Counts {
  const div = (x: number): number => x / n;
  const tally = (t: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, div(v)]));
  return {
    kernels: Object.fromEntries(Object.entries(c.kernels).map(([p, t]) => [p, tally(t)])) as Counts['kernels'],
    engineOps: Object.fromEntries(Object.entries(c.engineOps).map(([p, v]) => [p, div(v)])) as Counts['engineOps'],
    addon: Object.fromEntries(Object.entries(c.addon).map(([p, t]) => [p, tally(t)])) as Counts['addon'],
    tensors: div(c.tensors), uploads: div(c.uploads), scopes: div(c.scopes), tapeNodes: div(c.tapeNodes),
    forwards: { training: div(c.forwards.training), inference: div(c.forwards.inference) },
  };
}

export interface StepCounts {
  step: Counts;
  evaluation: Counts;
  /** Per small_run method: training steps and epoch evaluations (T' and V: two inference forward passes). */
  run: Record<string, { steps: number; evaluations: number }>;
}

const STEPS = 50;
const PASSES = 20;

export async function countSmallStep(): Promise<StepCounts> {
  installCounters();
  const s = smallStep(SMALL_HEADS);
  countOptimizer(s.optimizer);
  let step: Counts;
  let evaluation: Counts;
  try {
    await s.steps(20);
    resetCounts('batch');
    await s.steps(STEPS);
    step = per(currentCounts(), STEPS);
    await epochEvaluation(s);
    resetCounts('eval');
    for (let i = 0; i < PASSES; i++) await epochEvaluation(s);
    evaluation = per(currentCounts(), PASSES);
  } finally {
    s.dispose();
  }
  const run: StepCounts['run'] = {};
  const dataset = twoViewDataset();
  for (const method of SMALL_RUN_METHODS) {
    resetCounts('batch');
    await timedRun(smallConfig({ method }), dataset);
    const f = currentCounts().forwards;
    // Less the final test evaluation: one inference pass (400 test rows, chunks of up to 512).
    run[method] = { steps: f.training, evaluations: (f.inference - 1) / 2 };
  }
  return { step, evaluation, run };
}
