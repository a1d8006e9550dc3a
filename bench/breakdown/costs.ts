/**
 * Instruction counts (Ir) of the breakdown's regions, from callgrind's parts: per region label, the
 * median repeat divided by its units (steps, epoch evaluations, ops), split by where the
 * instructions ran.
 */
import { join } from 'node:path';
import { readCallgrindPart } from './callgrind.js';
import { partOfRegion, type Region } from './regions.js';

/** Callees whose inclusive cost and call count the report needs. */
export const CALLEES = {
  /** The addon's exported functions: one per Node-API crossing from JavaScript. */
  addonCalls: /_entry\(napi_env/,
  /** Node-API functions the addon calls (argument reads, results, the io buffer). */
  napi: /^napi_/,
  // The next two name only entry points that do not call each other (through other functions either),
  // so that no instruction is counted twice.
  /** V8's garbage collection: scavenges, full collections, and incremental marking's steps. */
  gc: /^v8::internal::(ScavengerCollector::CollectGarbage|MarkCompactCollector::CollectGarbage|MinorMarkCompactCollector::CollectGarbage|IncrementalMarkingJob::Task::RunInternal|IncrementalMarking::(Step|AdvanceOnAllocation|AdvanceFromTask))\(/,
  /** Matrix products: oneDNN's sgemm (its generated kernels have no object: '???'), or the BLAS's. */
  gemm: /^(dnnl_sgemm|sgemm_|cblas_sgemm)$/,
  /** V8 compiling JavaScript (TurboFan's three phases, lazy and baseline compiles): a one-off cost the warm-up did not absorb. */
  compile: /^v8::internal::(compiler::PipelineCompilationJob::(PrepareJobImpl|ExecuteJobImpl|FinalizeJobImpl)|Compiler::Compile\(|baseline::BaselineBatchCompiler::CompileBatch|maglev::MaglevCompilationJob::)/,
};

/** Shared objects grouped by what they do. */
const GROUPS: [string, RegExp][] = [
  ['arithmetic (oneDNN, OpenBLAS)', /dnnl|openblas|libblas/],
  ['libtorch (ATen, c10)', /libtorch|libc10/],
  ['addon (gblend_native.node)', /gblend_native/],
  ['C/C++ runtime (malloc, libstdc++, OpenMP)', /^libc\.|^libstdc|^libgomp|^libm\.|^ld-linux|^libpthread/],
  ['node + V8 (interpreter, builtins, runtime, Node-API)', /^node$/],
  ['V8 JIT-compiled JavaScript', /^\?\?\?$/],
];

export interface UnitCost {
  units: number;
  /**
   * Ir per unit: in steady state (the region's Ir less V8's compiling, which a longer warm-up would
   * have paid before), by group of objects (compiling included), and inside the callees of CALLEES
   * (with calls per unit).
   */
  ir: number;
  byGroup: Record<string, number>;
  callees: Record<keyof typeof CALLEES, { ir: number; calls: number }>;
  /** Every repeat's steady-state Ir per unit, to show how stable the median is. */
  repeats: number[];
}

function group(object: string): string {
  return GROUPS.find(([, re]) => re.test(object))?.[0] ?? 'other';
}

export function unitCosts(dir: string, regions: Region[]): Record<string, UnitCost> {
  const byLabel = new Map<string, { units: number; parts: ReturnType<typeof readCallgrindPart>[] }>();
  regions.forEach((r, i) => {
    const part = readCallgrindPart(join(dir, `cg.${partOfRegion(i)}`), CALLEES);
    const entry = byLabel.get(r.label) ?? { units: r.units, parts: [] };
    entry.parts.push(part);
    byLabel.set(r.label, entry);
  });
  const out: Record<string, UnitCost> = {};
  for (const [label, { units, parts }] of byLabel) {
    const steady = (p: (typeof parts)[number]): number => p.totalIr - p.inclusive['compile']!.ir;
    const sorted = [...parts].sort((a, b) => steady(a) - steady(b));
    const median = sorted[sorted.length >> 1]!;
    const byGroup: Record<string, number> = {};
    for (const [object, ir] of Object.entries(median.selfByObject)) byGroup[group(object)] = (byGroup[group(object)] ?? 0) + ir / units;
    const callees = Object.fromEntries(Object.entries(median.inclusive).map(([k, v]) => [k, { ir: v.ir / units, calls: v.calls / units }])) as UnitCost['callees'];
    out[label] = { units, ir: steady(median) / units, byGroup, callees, repeats: parts.map((p) => steady(p) / units) };
  }
  return out;
}
