/**
 * Which tensor backend to run on: the one decision point, kept pure so it is tested
 * without starting any backend. A native (libtorch) backend is to be added here.
 */
import { EngineError } from './errors.js';

export type BackendChoice = 'auto' | 'wasm' | 'cpu';

/** A backend that can actually be started. */
export type ConcreteBackend = 'wasm' | 'cpu';

const CONCRETE: readonly ConcreteBackend[] = ['wasm', 'cpu'];

/**
 * Resolves the requested backend: an explicit 'wasm' or 'cpu' wins; otherwise
 * (unset or 'auto') the GBLEND_BACKEND value if set; otherwise the automatic pick.
 * 'auto' means wasm for now: it beats the plain JS cpu backend by 10x or more.
 */
export function chooseBackend(requested: BackendChoice | undefined, envValue: string | undefined): ConcreteBackend {
  if (requested !== undefined && requested !== 'auto') {
    if (!CONCRETE.includes(requested)) {
      throw new EngineError('ENGINE_BAD_BACKEND', `unknown backend '${String(requested)}' (expected auto, wasm or cpu)`);
    }
    return requested;
  }
  const fromEnv = envValue?.trim().toLowerCase();
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'auto') {
    if (!(CONCRETE as readonly string[]).includes(fromEnv)) {
      throw new EngineError('ENGINE_BAD_BACKEND', `GBLEND_BACKEND='${envValue}' is not a backend (expected auto, wasm or cpu)`);
    }
    return fromEnv as ConcreteBackend;
  }
  return 'wasm';
}
