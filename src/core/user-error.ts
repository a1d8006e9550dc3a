/**
 * The one base class of every error caused by the user's input (a bad file, option, flag or dataset).
 * The CLI prints any UserError as one line and exits 2, without a stack trace; anything else is a bug
 * and keeps its stack. Each layer subclasses it with its own codes, so a new error type needs no entry
 * in a list anywhere. Pure: no I/O.
 */
export class UserError extends Error {
  /** Stable and machine-readable: tests and callers branch on it; `message` is for people. */
  readonly code: string;

  constructor(code: string, message: string) {
    // One line, always: messages quote user-provided names, which may contain newlines.
    super(message.replace(/\s*[\r\n]+\s*/g, ' '));
    this.code = code;
    this.name = new.target.name;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
