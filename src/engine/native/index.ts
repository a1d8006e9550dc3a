/**
 * The native backend: tfjs kernels on libtorch through the Node-API addon in native/.
 * It exists only where the addon was built and loads; `nativeStatus()` says why not
 * otherwise. Nothing falls back per op: a kernel this backend lacks makes tfjs throw
 * "kernel not registered for backend 'native'".
 */
import { registerBackend, registerKernel } from '@tensorflow/tfjs-core';
import { loadNativeAddon, type NativeAddon, type RuntimeInfo } from './addon.js';
import { NativeBackend } from './backend.js';
import { PROTOCOL } from './codes.js';
import { NATIVE_KERNELS } from './kernels/index.js';
import { shareSavedTensors } from './shared-saves.js';

export { blasEnvironment, cpuFlags, type RuntimeInfo } from './addon.js';
export { NativeBackend } from './backend.js';
export { FusedOptimizer, type FusedOptimizerConfig } from './fused-optimizer.js';

export const NATIVE_BACKEND = 'native';

/** Names of every kernel the native backend registers. */
export const NATIVE_KERNEL_NAMES: readonly string[] = NATIVE_KERNELS.map((k) => k.kernelName);

export type NativeStatus =
  | { available: true; runtime: RuntimeInfo; addonPath: string }
  | { available: false; reason: string };

/**
 * Room for the integer lists of any call and the records of multi-output results (AddN or
 * Concat of ~65,000 tensors, Unstack into ~16,000 outputs); 512 KiB. Doubles, so that a
 * value out of int32 range reaches the addon intact and is refused there, not wrapped.
 */
const IO_SIZE = 65536;

interface Started {
  addon: NativeAddon;
  io: Float64Array;
  status: NativeStatus;
}

let started: Started | { status: NativeStatus } | null = null;

function start(): Started | { status: NativeStatus } {
  if (started !== null) return started;
  const loaded = loadNativeAddon();
  if (!loaded.ok) {
    started = { status: { available: false, reason: loaded.reason } };
    return started;
  }
  const io = new Float64Array(IO_SIZE);
  try {
    const runtime = loaded.addon.init(io);
    if (runtime.protocol !== PROTOCOL) {
      started = { status: { available: false, reason: `the native addon is out of date (protocol ${runtime.protocol}, expected ${PROTOCOL}): run 'npm run build:native'` } };
      return started;
    }
    started = { addon: loaded.addon, io, status: { available: true, runtime, addonPath: loaded.path } };
  } catch (err) {
    started = { status: { available: false, reason: `the native addon failed to start: ${err instanceof Error ? err.message : String(err)}` } };
  }
  return started;
}

let registered = false;

/**
 * Loads the addon and registers the 'native' backend and its kernels (once). Returns
 * whether the backend is available, and why not.
 */
export function registerNativeBackend(): NativeStatus {
  const s = start();
  if (!('addon' in s)) return s.status;
  if (!registered) {
    const { addon, io } = s;
    // Priority 0: tfjs never picks it by itself; gblend's engine chooses it explicitly.
    registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon, io), 0);
    for (const k of NATIVE_KERNELS) registerKernel(k);
    shareSavedTensors(NATIVE_BACKEND);
    registered = true;
  }
  return s.status;
}

/** Sets libtorch's intra-op thread count; returns the count now in effect. */
export function setNativeThreads(threads: number): number {
  const s = start();
  if (!('addon' in s)) throw new Error('native backend unavailable');
  return s.addon.setThreads(Math.max(1, Math.floor(threads)));
}

/** libtorch's thread count, or null when the addon is unavailable. */
export function nativeThreads(): number | null {
  const s = start();
  return 'addon' in s ? s.addon.threads() : null;
}

/** Native tensors alive in the addon's table (for leak tests), or null when unavailable. */
export function nativeLiveTensors(): number | null {
  const s = start();
  return 'addon' in s ? s.addon.liveCount() : null;
}
