/**
 * The one place that chooses and sets up the TensorFlow.js backend for gblend.
 *
 * Call `initEngine()` once before building models; everything else uses the global
 * tfjs engine it configured. On wasm it first installs our replacement kernels
 * (./wasm-kernels), without which conv nets cannot train at all and MLPs train
 * several times slower (see ./wasm-kernels/index.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of
// core's (as @tensorflow/tfjs would). Without it any training on core ops throws
// "gradient function not found".
import '@tensorflow/tfjs-layers';
import { chooseBackend, type BackendChoice, type ConcreteBackend } from './choose-backend.js';
import { EngineError } from './errors.js';
import { registerNativeBackend, setNativeThreads, type RuntimeInfo } from './native/index.js';
import { patchWasmKernels } from './wasm-kernels/index.js';

export type { BackendChoice } from './choose-backend.js';
export { chooseBackend } from './choose-backend.js';
export { EngineError, type EngineErrorCode } from './errors.js';

export interface EngineInfo {
  /** The tfjs backend name in use ('native', 'wasm' or 'cpu'). */
  backend: string;
  /**
   * Threads the backend computes with, as the backend reports it. tfjs 4.22 turns the
   * multi-threaded wasm build off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
   * there), so this is 1 on wasm whatever `threads` asked for.
   */
  threads: number;
  /** Kernels replaced or added by gblend on this backend (wasm only). */
  kernelsPatched: string[];
  /** On the native backend: libtorch's version and the BLAS it runs on. */
  native?: RuntimeInfo;
}

export interface EngineOptions {
  /**
   * Default 'auto': the GBLEND_BACKEND environment variable (native|wasm|cpu) if set,
   * else native where its addon loads, else wasm.
   */
  backend?: BackendChoice;
  /**
   * Threads: for native, libtorch's intra-op threads, default 1: gblend's layers are
   * small, and OpenMP's per-op barriers make more threads slower on them (many times
   * slower when other processes share the CPUs); raise it for large layers. For wasm,
   * only honoured before the wasm backend first starts.
   */
  threads?: number;
}

let current: EngineInfo | null = null;
/** Serialises concurrent calls, so two callers never race tf.setBackend. */
let pending: Promise<unknown> = Promise.resolve();
let wasmStarted = false;

/** Registers the native backend and sets its threads; throws when the addon is unavailable. */
function prepareNative(threads: number | undefined): { threads: number; runtime: RuntimeInfo } {
  const status = registerNativeBackend();
  if (!status.available) throw new EngineError('ENGINE_NATIVE_UNAVAILABLE', `native backend unavailable: ${status.reason}`);
  const set = setNativeThreads(threads ?? 1);
  // The runtime record was taken when the addon started; keep its thread count current.
  return { threads: set, runtime: { ...status.runtime, threads: set } };
}

async function start(backend: ConcreteBackend, threads: number | undefined): Promise<EngineInfo> {
  if (current !== null && current.backend === backend && tf.getBackend() === backend) {
    if (backend !== 'native' || threads === undefined || threads === current.threads) return current;
  }
  if (backend === 'native') {
    const native = prepareNative(threads);
    if (!(await tf.setBackend(backend))) throw new EngineError('ENGINE_INIT_FAILED', `tfjs could not start the '${backend}' backend`);
    current = { backend, threads: native.threads, kernelsPatched: [], native: native.runtime };
    return current;
  }
  let kernelsPatched: string[] = [];
  if (backend === 'wasm') {
    // Registered before first use; they keep the stock setup hooks, so order is safe.
    kernelsPatched = patchWasmKernels();
    // tfjs reads the thread count when the wasm module starts, and only then.
    if (!wasmStarted && threads !== undefined) setThreadsCount(Math.max(1, Math.floor(threads)));
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new EngineError('ENGINE_INIT_FAILED', `tfjs could not start the '${backend}' backend`);
  await tf.ready();
  if (backend === 'wasm') wasmStarted = true;
  current = { backend, threads: backend === 'wasm' ? getThreadsCount() : 1, kernelsPatched };
  return current;
}

/**
 * Chooses and starts the backend (idempotent: a repeated call with the same choice
 * returns the same info without restarting anything; a different choice switches).
 */
export async function initEngine(opts: EngineOptions = {}): Promise<EngineInfo> {
  const backend = chooseBackend(opts.backend, process.env['GBLEND_BACKEND'], () => registerNativeBackend().available);
  const next = pending.catch(() => undefined).then(() => start(backend, opts.threads));
  pending = next;
  return next;
}

/** What `initEngine` set up, or null before the first successful call. */
export function engineInfo(): EngineInfo | null {
  return current;
}
