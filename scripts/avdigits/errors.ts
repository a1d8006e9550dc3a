/** Errors the dataset build can raise, with a `code` so callers can tell them apart. */

export type BuildErrorCode = 'BAD_IDX' | 'ESPEAK_FAILED' | 'NOT_ENOUGH_DIGITS' | 'BAD_ARGS' | 'MISSING_INPUT';

export class BuildError extends Error {
  readonly code: BuildErrorCode;

  constructor(code: BuildErrorCode, message: string) {
    super(message);
    this.name = 'BuildError';
    this.code = code;
  }
}
