/** Errors raised while choosing or setting up the tensor backend. */
import { UserError } from '../core/user-error.js';

export type EngineErrorCode =
  /** GBLEND_BACKEND or opts.backend names a backend we do not know. */
  | 'ENGINE_BAD_BACKEND'
  /** tf.setBackend reported failure (for example the .wasm binary did not load). */
  | 'ENGINE_INIT_FAILED'
  /** The native backend was asked for, but its addon is not built or does not load. */
  | 'ENGINE_NATIVE_UNAVAILABLE'
  /** A patched kernel got inputs it does not support (for example NCHW data). */
  | 'ENGINE_UNSUPPORTED';

export class EngineError extends UserError {
  declare readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(code, message);
  }
}
