/**
 * The breakdown's Markdown: where one small_mlp_step step's instructions go (counts from the
 * wrappers, costs from callgrind), and the share of the evaluation passes in small_run.
 */
import { SMALL } from '../workloads/small-setup.js';
import { PHASES, type Counts, type Phase } from './counters.js';
import type { UnitCost } from './costs.js';
import { MODEL_VARIANTS } from './regions.js';
import type { StepCounts } from './step-counts.js';

export interface Breakdown {
  counts: StepCounts;
  costs: Record<string, UnitCost>;
}

const k = (ir: number): string => (ir >= 1e6 ? `${(ir / 1e6).toFixed(2)} M` : ir >= 1e3 ? `${(ir / 1e3).toFixed(1)} k` : ir.toFixed(0));
const n = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;
const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);

function cost(costs: Record<string, UnitCost>, label: string): UnitCost {
  const c = costs[label];
  if (c === undefined) throw new Error(`no callgrind region '${label}'`);
  return c;
}

/** Per-phase tallies merged over `phases`. */
function merge(t: Record<Phase, Record<string, number>>, phases: readonly Phase[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const p of phases) for (const [name, v] of Object.entries(t[p])) merged[name] = (merged[name] ?? 0) + v;
  return merged;
}

/** A tally, most frequent first: `**12**: Relu 3, ...`. */
function listed(t: Record<string, number>): string {
  return `**${n(sum(t))}**: ${Object.entries(t).sort((a, b) => b[1] - a[1]).map(([name, v]) => `${name} ${n(v)}`).join(', ')}`;
}

const kernelsOf = (c: Counts, phases: Phase[]): string => listed(merge(c.kernels, phases));

/** Addon calls by phase: `forward 40, backward 60, ...`. */
const addonPhases = (c: Counts): string => PHASES.filter((p) => sum(c.addon[p]) > 0).map((p) => `${p} ${n(sum(c.addon[p]))}`).join(', ');

function stepTable(b: Breakdown): string[] {
  const c = b.counts.step;
  const step = cost(b.costs, 'step:fou+kar+fused');
  const engineOp = cost(b.costs, 'micro:engine-add').ir - cost(b.costs, 'micro:addon-add').ir;
  const crossing = cost(b.costs, 'micro:napi-crossing').ir;
  const addon = merge(c.addon, PHASES);
  const addonCalls = sum(addon);
  const engineOps = sum(c.engineOps);
  const inside = step.callees.addonCalls.ir;
  const g = (name: string): number => step.byGroup[name] ?? 0;
  const rows: [string, string, string, string][] = [
    ['whole step (callgrind, median of 3 regions of 30 steps)', '1', k(step.ir), '100%'],
    ['kernels dispatched to the backend: forward', kernelsOf(c, ['forward']), '', ''],
    ['kernels: backward', kernelsOf(c, ['backward']), '', ''],
    ['kernels: optimizer', kernelsOf(c, ['optimizer']), '', ''],
    ['kernels: batch gather and loss read-back', kernelsOf(c, ['batch', 'readback']), '', ''],
    [`engine ops (runKernelFunc: kernels, customGrad, nested), x ${k(engineOp)} Ir of engine bookkeeping each (micro)`, n(engineOps), k(engineOps * engineOp), pct(engineOps * engineOp, step.ir)],
    ['tensors the engine tracks (results, tape clones, shares)', n(c.tensors), '', ''],
    ['of which made from JavaScript values (backend writes: batch indices, scalars)', n(c.uploads), '', ''],
    ['engine scopes opened; tape nodes recorded', `${n(c.scopes)}; ${n(c.tapeNodes)}`, '', ''],
    [`Node-API crossings (addon calls), x ${k(crossing)} Ir for a bare crossing (micro)`, `${listed(addon)} (by phase: ${addonPhases(c)})`, k(addonCalls * crossing), pct(addonCalls * crossing, step.ir)],
    ['Node-API functions the addon calls (napi_*)', n(step.callees.napi.calls), k(step.callees.napi.ir), pct(step.callees.napi.ir, step.ir)],
    ['inside addon calls (libtorch dispatch, arithmetic, the addon)', n(step.callees.addonCalls.calls), k(inside), pct(inside, step.ir)],
    ['  arithmetic: oneDNN and OpenBLAS code', '', k(g('arithmetic (oneDNN, OpenBLAS)')), pct(g('arithmetic (oneDNN, OpenBLAS)'), step.ir)],
    ['  libtorch code (ATen, c10: dispatch, TensorIterator, element-wise loops)', '', k(g('libtorch (ATen, c10)')), pct(g('libtorch (ATen, c10)'), step.ir)],
    ['outside addon calls (JavaScript: the loop, tfjs-layers, the engine, kernels\' JS side)', '', k(step.ir - inside), pct(step.ir - inside, step.ir)],
    ['  V8 JIT-compiled JavaScript', '', k(g('V8 JIT-compiled JavaScript')), pct(g('V8 JIT-compiled JavaScript'), step.ir)],
    ['  node + V8 own code (interpreter, builtins, runtime)', '', k(g('node + V8 (interpreter, builtins, runtime, Node-API)')), pct(g('node + V8 (interpreter, builtins, runtime, Node-API)'), step.ir)],
    ['  garbage collection (inclusive)', n(step.callees.gc.calls), k(step.callees.gc.ir), pct(step.callees.gc.ir, step.ir)],
    ['C/C++ runtime (malloc/free, libstdc++, OpenMP), both sides', '', k(g('C/C++ runtime (malloc, libstdc++, OpenMP)')), pct(g('C/C++ runtime (malloc, libstdc++, OpenMP)'), step.ir)],
  ];
  return ['| per small_mlp_step step | count per step | Ir per step | share |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function microTable(b: Breakdown): string[] {
  const m = (label: string): UnitCost => cost(b.costs, label);
  const rows = [
    ['`tf.add` of two 1-element tensors through the engine, then dispose', m('micro:engine-add')],
    ['the same two addon calls made directly (`binary`, `free`)', m('micro:addon-add')],
    ['a bare Node-API crossing (the addon\'s `threads()`)', m('micro:napi-crossing')],
  ] as const;
  return ['| per op, in isolation | Ir | repeats |', '|---|---|---|', ...rows.map(([what, c]) => `| ${what} | ${k(c.ir)} | ${c.repeats.map(k).join(', ')} |`)];
}

const totalKernels = (c: Counts, phases: readonly Phase[]): number => phases.reduce((a, p) => a + sum(c.kernels[p]), 0);

function variantTable(b: Breakdown): string[] {
  const lines = ['| model (heads) | Ir per step | Ir per epoch evaluation (T\' and V, 20 rows each) |', '|---|---|---|'];
  for (const heads of MODEL_VARIANTS) {
    const name = heads.join('+');
    lines.push(`| ${name} | ${k(cost(b.costs, `step:${name}`).ir)} | ${k(cost(b.costs, `eval:${name}`).ir)} |`);
  }
  const c = b.counts;
  lines.push('', `On the three-head model a step dispatches ${n(totalKernels(c.step, PHASES))} kernels and an epoch evaluation ${n(totalKernels(c.evaluation, PHASES))} (${n(sum(merge(c.evaluation.addon, PHASES)))} addon calls, ${n(c.evaluation.tensors)} tensors).`);
  return lines;
}

/**
 * small_run's instructions by part, from its counts of steps and evaluations and the Ir of each model's
 * step and evaluation: naive trains and evaluates its fused-head model; gblend-online its three-head
 * model for the epochs, and a copy per head (fou, kar, fused alone) for the estimates, in equal numbers.
 */
function runShare(b: Breakdown): string[] {
  const ir = (what: 'step' | 'eval', heads: string): number => cost(b.costs, `${what}:${heads}`).ir;
  const mainSteps = SMALL.epochs * Math.ceil(SMALL.sizes.train / SMALL.batchSize);
  const lines = ['| small_run part | steps | epoch evaluations | Ir in training steps | Ir in evaluations | evaluation share |', '|---|---|---|---|---|---|'];
  let all = { train: 0, evalIr: 0 };
  for (const [method, r] of Object.entries(b.counts.run)) {
    let train: number;
    let evalIr: number;
    if (method === 'naive') {
      train = r.steps * ir('step', 'fused');
      evalIr = r.evaluations * ir('eval', 'fused');
    } else {
      const copySteps = (r.steps - mainSteps) / 3;
      const copyEvals = (r.evaluations - SMALL.epochs) / 3;
      const copies = ['fou', 'kar', 'fused'];
      train = mainSteps * ir('step', 'fou+kar+fused') + copies.reduce((a, h) => a + copySteps * ir('step', h), 0);
      evalIr = SMALL.epochs * ir('eval', 'fou+kar+fused') + copies.reduce((a, h) => a + copyEvals * ir('eval', h), 0);
    }
    all = { train: all.train + train, evalIr: all.evalIr + evalIr };
    lines.push(`| ${method} | ${r.steps} | ${r.evaluations} | ${k(train)} | ${k(evalIr)} | ${pct(evalIr, train + evalIr)} |`);
  }
  lines.push(`| both | | | ${k(all.train)} | ${k(all.evalIr)} | ${pct(all.evalIr, all.train + all.evalIr)} |`);
  return lines;
}

export function renderBreakdown(b: Breakdown): string {
  return [
    ...stepTable(b), '',
    ...microTable(b), '',
    ...variantTable(b), '',
    ...runShare(b),
  ].join('\n');
}
