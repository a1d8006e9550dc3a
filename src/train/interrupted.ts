/**
 * A run stopped on request (Ctrl-C) at a step boundary. Not a user error and not a bug: the caller
 * keeps the last checkpoint and says how to resume.
 */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** Set by the caller (a signal handler) and read by the loop before every step. */
export interface StopSignal {
  readonly stopped: boolean;
}
