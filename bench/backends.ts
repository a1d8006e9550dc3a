/**
 * The backends the benchmark knows, and how a worker process starts each. A backend that cannot
 * start here (native before it is built, or without libtorch) is reported as unavailable, with
 * the reason, never as a failed benchmark.
 */
import { initEngine, type BackendChoice } from '../src/engine/index.js';
import { restoreStockWasmKernels } from '../src/engine/wasm-kernels/index.js';
import { setNativeSteps } from '../src/train/native-step.js';

export const BACKENDS = ['native', 'native-ops', 'wasm', 'wasm-stock'] as const;
export type BenchBackend = (typeof BACKENDS)[number];

/** Where the loop's native whole step applies: the workloads that differ between native and native-ops. */
const WHOLE_STEP_WORKLOADS = ['small_mlp_step', 'small_run'];

/**
 * Workloads per backend: stock wasm only for mlp_step (its conv net cannot train: no
 * Conv2DBackpropFilter); native-ops (native with every step through tfjs' kernels, as before the
 * whole step: GBLEND_NATIVE_STEP=0) only where the whole step would otherwise run.
 */
export function backendRuns(backend: BenchBackend, workload: string): boolean {
  if (backend === 'wasm-stock') return workload === 'mlp_step';
  if (backend === 'native-ops') return WHOLE_STEP_WORKLOADS.includes(workload);
  return true;
}

export interface Started {
  /** The tfjs backend name the engine reports. */
  engine: string;
  threads: number;
  kernelsPatched: string[];
  /** Everything initEngine reported (a backend may add fields, e.g. its BLAS), passed through to `_meta`. */
  info: Record<string, unknown>;
}

export class Unavailable extends Error {}

export async function startBackend(backend: BenchBackend, threads: number): Promise<Started> {
  if (backend === 'native' || backend === 'native-ops') {
    setNativeSteps(backend === 'native');
    try {
      // 'native' is not a BackendChoice until the libtorch backend lands; the cast keeps this
      // file compiling before and after.
      const info = await initEngine({ backend: 'native' as BackendChoice, threads });
      if (info.backend === 'wasm' || info.backend === 'cpu') throw new Error(`asked for native, the engine started ${info.backend}`);
      return { engine: info.backend, threads: info.threads, kernelsPatched: info.kernelsPatched, info: { ...info } };
    } catch (err) {
      throw new Unavailable(err instanceof Error ? err.message : String(err));
    }
  }
  const info = await initEngine({ backend: 'wasm', threads });
  if (backend === 'wasm-stock') {
    restoreStockWasmKernels();
    return { engine: info.backend, threads: info.threads, kernelsPatched: [], info: { ...info, kernelsPatched: [] } };
  }
  return { engine: info.backend, threads: info.threads, kernelsPatched: info.kernelsPatched, info: { ...info } };
}
