/**
 * The one base class of every error caused by the user's input (a bad file, option, flag or dataset).
 * The CLI prints any UserError as one line and exits 2, without a stack trace; anything else is a bug
 * and keeps its stack. Each layer subclasses it with its own codes, so a new error type needs no entry
 * in a list anywhere. Pure: no I/O.
 */
export class UserError extends Error {
  /** Stable and machine-readable: tests and callers branch on it; `message` is for people. */
  readonly code: string;
  /**
   * Set when the message is about the value of one option: its config key (dotted), which starts the
   * message, and the rest of the message. A caller whose user gave that option another way names it
   * so instead (the CLI: the flag typed, or the config file and key).
   */
  readonly option: OptionRef | null;

  /** `message`: the text, or, for an error about one option's value, its key and the rest (message = key + rest). */
  constructor(code: string, message: string | OptionRef) {
    const about = typeof message === 'string' ? null : { key: message.key, rest: oneLine(message.rest) };
    super(about === null ? oneLine(message as string) : `${about.key}${about.rest}`);
    this.code = code;
    this.option = about;
    this.name = new.target.name;
  }
}

export interface OptionRef {
  key: string;
  rest: string;
}

// One line, always: messages quote user-provided names, which may contain newlines.
export const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
