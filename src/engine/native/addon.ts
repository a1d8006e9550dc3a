/**
 * Finds and loads the native addon (native/build/Release/gblend_native.node), after
 * setting up OpenBLAS's environment, which it reads once, when the library loads.
 * Loading never throws: a missing or broken addon is a status with a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What init() reports about the libtorch the addon runs on. */
export interface RuntimeInfo {
  /** Version of the JS/addon calling convention (see codes.ts). */
  protocol: number;
  torch: string;
  threads: number;
  /** The BLAS shared library libtorch loaded ('' if none was found by name). */
  blasLibrary: string;
  /** OpenBLAS's kernel choice (its core name), '' when the BLAS is not OpenBLAS. */
  blasCore: string;
  /** What float32 matrix products run on: 'oneDNN x.y.z' where libdnnl.so.2 loads, else 'ATen' (the BLAS). */
  gemm: string;
}

/** The addon's functions; ids are native tensor ids, lists travel in the io buffer. */
export interface NativeAddon {
  init(io: Float64Array): RuntimeInfo;
  setThreads(n: number): number;
  /** Switches the matrix product engine; returns its name, '' when oneDNN is not loaded. */
  setGemm(engine: 'dnnl' | 'aten'): string;
  threads(): number;
  /** How many OpenMP workers of the calling thread would take SIGPROF (0: all block signals). */
  unblockedWorkers(): number;
  write(values: Float32Array | Int32Array | Uint8Array, dtype: number, rank: number): number;
  read(id: number): Float32Array | Int32Array | Uint8Array;
  free(id: number): void;
  freeAll(): void;
  liveCount(): number;
  /** Writes [slots, capacity, free ids] of the addon's tensor table to io (tests). */
  tableInfo(): void;
  describe(id: number): void;
  unary(op: number, x: number, p0: number, p1: number): number;
  binary(op: number, a: number, b: number): number;
  reduce(op: number, x: number, keepDims: boolean, nAxes: number): number;
  argReduce(isMax: boolean, x: number, axis: number): number;
  softmax(x: number, dim: number, log: boolean): number;
  cast(x: number, dtype: number): number;
  select(condition: number, t: number, e: number): number;
  addN(n: number): number;
  reshape(x: number, rank: number): number;
  transpose(x: number, rank: number): number;
  slice(x: number, rank: number): number;
  concat(n: number, axis: number): number;
  split(x: number, axis: number, n: number): number;
  pack(n: number, axis: number): number;
  unpack(x: number, axis: number): number;
  tile(x: number, rank: number): number;
  pad(x: number, rank: number, value: number): number;
  reverse(x: number, n: number): number;
  gather(x: number, indices: number, axis: number): number;
  oneHot(indices: number, depth: number, on: number, off: number, dtype: number): number;
  fill(rank: number, value: number, dtype: number): number;
  range(start: number, stop: number, step: number, dtype: number): number;
  unsortedSegmentSum(x: number, segmentIds: number, numSegments: number): number;
  matmul(a: number, b: number, transposeA: boolean, transposeB: boolean, bias: number, activation: number, alpha: number, prelu: number): number;
  conv2d(x: number, filter: number, bias: number, sh: number, sw: number, dh: number, dw: number,
    top: number, bottom: number, left: number, right: number, outH: number, outW: number, activation: number, alpha: number, prelu: number): number;
  conv2dBackpropInput(dy: number, filter: number, batch: number, h: number, w: number, c: number, sh: number, sw: number,
    top: number, bottom: number, left: number, right: number): number;
  conv2dBackpropFilter(x: number, dy: number, fh: number, fw: number, sh: number, sw: number, dh: number, dw: number,
    top: number, bottom: number, left: number, right: number, inChannels: number, outChannels: number): number;
  maxPool(x: number, fh: number, fw: number, sh: number, sw: number, top: number, bottom: number, left: number, right: number, outH: number, outW: number): number;
  maxPoolGrad(dy: number, x: number, fh: number, fw: number, sh: number, sw: number, top: number, bottom: number, left: number, right: number): number;
  avgPool(x: number, fh: number, fw: number, sh: number, sw: number, top: number, bottom: number, left: number, right: number, outH: number, outW: number): number;
  avgPoolGrad(dy: number, x: number, fh: number, fw: number, sh: number, sw: number, top: number, bottom: number, left: number, right: number): number;
  /**
   * Fused optimizer steps (native/src/ops_optim.cc): update m and v (accumulation) in place
   * and w in place, or, where w is shared or `copy`, into a new tensor whose id they return
   * (-1 when w was updated in place). g -1: no gradient (zeros).
   */
  adamStep(w: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, epsilon: number,
    weightDecay: number, biasCorrection1: number, biasCorrection2: number, copy: boolean): number;
  momentumStep(w: number, g: number, accumulation: number, lr: number, momentum: number, weightDecay: number, copy: boolean): number;
  /**
   * A whole training step of a multi-head MLP (native/src/mlp_step.cc), its plan in io[0, length):
   * returns the loss, and leaves in io [n, (variable index, id) x n] the variables whose new weights
   * went to fresh memory. Nothing is updated when the loss is not finite.
   */
  mlpStep(length: number, lr: number, momentum: number, weightDecay: number, beta1: number, beta2: number, epsilon: number,
    biasCorrection1: number, biasCorrection2: number): number;
  /** Every head of the plan in io[0, length) in inference mode: a tensor [heads, rows, 2 (+ classes)] (loss, correct, logits). */
  mlpEval(length: number, withLogits: boolean): number;
}

export type AddonStatus =
  | { ok: true; addon: NativeAddon; path: string }
  | { ok: false; reason: string };

/** Where `npm install` builds the addon, relative to this file in dist/src/engine/native/. */
const ADDON_URL = new URL('../../../../native/build/Release/gblend_native.node', import.meta.url);

/**
 * The environment OpenBLAS needs, given the current one and the CPU's flags:
 * - OPENBLAS_CORETYPE: OpenBLAS 0.3.21 takes AVX-512 CPUs it does not know for old
 *   cores (about 25 instead of 140 GFLOP/s on one thread here); SkylakeX's kernels
 *   run on any CPU with AVX-512 F/BW/DQ/VL. Left alone when set, or without AVX-512.
 * - OPENBLAS_NUM_THREADS=1: libtorch parallelises around BLAS calls itself; a second
 *   pool of BLAS threads only competes with it.
 */
export function blasEnvironment(env: Readonly<Record<string, string | undefined>>, cpuFlags: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const avx512 = ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => cpuFlags.has(f));
  if (!env['OPENBLAS_CORETYPE'] && avx512) out['OPENBLAS_CORETYPE'] = 'SkylakeX';
  if (!env['OPENBLAS_NUM_THREADS']) out['OPENBLAS_NUM_THREADS'] = '1';
  return out;
}

/** The flags of the first CPU in /proc/cpuinfo (empty where there is none). */
export function cpuFlags(cpuinfo: string): Set<string> {
  const line = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  return new Set(line === undefined ? [] : line.slice(line.indexOf(':') + 1).trim().split(/\s+/));
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

let status: AddonStatus | null = null;

/**
 * Loads the addon once; later calls return the same status. GBLEND_NATIVE_ADDON=/path/x.node
 * loads another build of it (scripts/asan-native.sh runs the tests on an AddressSanitizer one).
 */
export function loadNativeAddon(): AddonStatus {
  if (status !== null) return status;
  const path = process.env['GBLEND_NATIVE_ADDON'] || fileURLToPath(ADDON_URL);
  if (!existsSync(path)) {
    status = { ok: false, reason: `the native addon is not built (no ${path}; run 'npm run build:native' where libtorch is installed)` };
    return status;
  }
  Object.assign(process.env, blasEnvironment(process.env, cpuFlags(readCpuinfo())));
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    status = { ok: true, addon, path };
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    status = { ok: false, reason: `the native addon did not load: ${first}` };
  }
  return status;
}
