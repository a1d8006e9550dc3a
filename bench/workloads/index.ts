/** Every workload, in report order. */
import { convStep } from './conv-step.js';
import { gblendOnlineEpoch, naiveEpoch } from './epochs.js';
import { matmul1024 } from './matmul.js';
import { mlpStep } from './mlp-step.js';
import { smallMlpStep } from './small-mlp-step.js';
import { smallRun } from './small-run.js';
import type { Workload } from './types.js';

export type { Workload } from './types.js';

export const WORKLOADS: readonly Workload[] = [matmul1024, mlpStep, convStep, gblendOnlineEpoch, naiveEpoch, smallMlpStep, smallRun];

export function workloadByName(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (w === undefined) throw new Error(`unknown workload '${name}' (have: ${WORKLOADS.map((x) => x.name).join(', ')})`);
  return w;
}
