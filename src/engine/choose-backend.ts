/**
 * Which tensor backend to run on: the one decision point, kept pure so it is tested
 * without starting any backend.
 */
import { EngineError } from './errors.js';

export type BackendChoice = 'auto' | 'native' | 'wasm' | 'cpu';

/** A backend that can actually be started. */
export type ConcreteBackend = 'native' | 'wasm' | 'cpu';

const CONCRETE: readonly ConcreteBackend[] = ['native', 'wasm', 'cpu'];

/**
 * Resolves the requested backend: an explicit 'native', 'wasm' or 'cpu' wins; otherwise
 * (unset or 'auto') the GBLEND_BACKEND value if set; otherwise the automatic pick:
 * native (libtorch) where its addon loads, else wasm, which beats the plain JS cpu
 * backend by 10x or more. `nativeAvailable` is only asked for the automatic pick, so a
 * forced backend never loads libtorch.
 */
export function chooseBackend(requested: BackendChoice | undefined, envValue: string | undefined, nativeAvailable: () => boolean = () => false): ConcreteBackend {
  if (requested !== undefined && requested !== 'auto') {
    if (!CONCRETE.includes(requested)) {
      throw new EngineError('ENGINE_BAD_BACKEND', `unknown backend '${String(requested)}' (expected auto, native, wasm or cpu)`);
    }
    return requested;
  }
  const fromEnv = envValue?.trim().toLowerCase();
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'auto') {
    if (!(CONCRETE as readonly string[]).includes(fromEnv)) {
      throw new EngineError('ENGINE_BAD_BACKEND', `GBLEND_BACKEND='${envValue}' is not a backend (expected auto, native, wasm or cpu)`);
    }
    return fromEnv as ConcreteBackend;
  }
  return nativeAvailable() ? 'native' : 'wasm';
}
