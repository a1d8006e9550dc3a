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
import { patchWasmKernels } from './wasm-kernels/index.js';

export type { BackendChoice } from './choose-backend.js';
export { chooseBackend } from './choose-backend.js';
export { EngineError, type EngineErrorCode } from './errors.js';

export interface EngineInfo {
  /** The tfjs backend name in use ('wasm' or 'cpu'). */
  backend: string;
  /**
   * Threads the backend computes with, as the backend reports it. tfjs 4.22 turns the
   * multi-threaded wasm build off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
   * there), so this is 1 whatever `threads` asked for.
   */
  threads: number;
  /** Kernels replaced or added by gblend on this backend. */
  kernelsPatched: string[];
}

export interface EngineOptions {
  /** Default 'auto'; with 'auto' the GBLEND_BACKEND environment variable (wasm|cpu) decides. */
  backend?: BackendChoice;
  /** Threads for wasm; only honoured before the wasm backend first starts. */
  threads?: number;
}

let current: EngineInfo | null = null;
/** Serialises concurrent calls, so two callers never race tf.setBackend. */
let pending: Promise<unknown> = Promise.resolve();
let wasmStarted = false;

async function start(backend: ConcreteBackend, threads: number | undefined): Promise<EngineInfo> {
  if (current !== null && current.backend === backend && tf.getBackend() === backend) return current;
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
  const backend = chooseBackend(opts.backend, process.env['GBLEND_BACKEND']);
  const next = pending.catch(() => undefined).then(() => start(backend, opts.threads));
  pending = next;
  return next;
}

/** What `initEngine` set up, or null before the first successful call. */
export function engineInfo(): EngineInfo | null {
  return current;
}
