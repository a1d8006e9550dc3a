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
  const items = Object.entries(t).sort((a, b) => b[1] - a[1]).map(([name, v]) => `${name} ${n(v)}`);
  return items.length === 0 ? '**0**' : `**${n(sum(t))}**: ${items.join(', ')}`;
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
  const g = (name: string): number => step.byGroup[name] ?? 0;
  const { addonCalls: inside, gemm, napi, gc, compile } = step.callees;
  const arithmeticSelf = g('arithmetic (oneDNN, OpenBLAS)');
  const libtorch = g('libtorch (ATen, c10)');
  const ownCode = g('addon (gblend_native.node)');
  const outside = step.ir - inside.ir;
  // oneDNN's generated GEMM kernels have no object either: what of '???' lies inside its sgemm is not JavaScript.
  const jsJit = g('V8 JIT-compiled JavaScript') - (gemm.ir - arithmeticSelf);
  const row = (what: string, count: string, ir: number | null): string[] => [what, count, ir === null ? '' : k(ir), ir === null ? '' : pct(ir, step.ir)];
  const rows: string[][] = [
    row(`whole step, steady state (callgrind: median of ${step.repeats.length} regions of ${step.units} steps: ${step.repeats.map(k).join(', ')})`, '1', step.ir),
    [`(not counted above: V8 still compiling in that region, left over from the warm-up)`, '', k(compile.ir), ''],
    row('kernels dispatched to the backend: forward', kernelsOf(c, ['forward']), null),
    row('kernels: backward', kernelsOf(c, ['backward']), null),
    row('kernels: optimizer (gblend\'s fused update calls the addon directly)', kernelsOf(c, ['optimizer']), null),
    row('kernels: batch gather and loss read-back', kernelsOf(c, ['batch', 'readback']), null),
    row(`engine ops (runKernelFunc: the kernels, plus customGrad ops), x ${k(engineOp)} Ir of engine bookkeeping each (micro: engine op less the same addon calls)`, n(engineOps), engineOps * engineOp),
    row('tensors the engine tracks (results, tape clones, shares)', n(c.tensors), null),
    row('of which made from JavaScript values (backend writes: the batch\'s indices, constants of gradient functions)', n(c.uploads), null),
    row('engine scopes opened; tape nodes recorded', `${n(c.scopes)}; ${n(c.tapeNodes)}`, null),
    row(`Node-API crossings (addon calls), x ${k(crossing)} Ir for a bare crossing (micro)`, `${listed(addon)} (by phase: ${addonPhases(c)})`, addonCalls * crossing),
    row('inside addon calls, in all', n(inside.calls), inside.ir),
    row('  matrix products (oneDNN sgemm and its generated kernels)', n(gemm.calls), gemm.ir),
    row('  libtorch (ATen, c10: dispatch, TensorIterator, element-wise loops, allocation)', '', libtorch),
    row('  the addon\'s own code (argument checks, the tensor table, the fused optimizer\'s loops)', '', ownCode),
    row('  Node-API functions it calls (napi_*: arguments, results, the io buffer)', n(napi.calls), napi.ir),
    row('  the rest (malloc/free, thread-local lookups)', '', inside.ir - gemm.ir - libtorch - ownCode - napi.ir),
    row('outside addon calls (JavaScript: the loop, tfjs-layers, the engine, the kernels\' JS side)', '', outside),
    row('  V8 JIT-compiled JavaScript (about: \'???\' less oneDNN\'s kernels)', '', jsJit),
    row('  garbage collection (collections and incremental marking, inclusive; not the write barrier in JIT code)', '', gc.ir),
    row('  V8\'s interpreter, builtins and runtime, malloc (the rest)', '', outside - jsJit - gc.ir),
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
