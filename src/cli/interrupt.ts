/** Ctrl-C for long commands: the first stops at the next step boundary (keeping checkpoints), the second exits at once. */
import { ConfigError } from '../config/load.js';
import { redactUrlText } from '../queue/address.js';
import type { StopSignal } from '../train/interrupted.js';
import type { Printer } from './progress.js';

export function stopOnCtrlC(printer: Printer): StopSignal {
  const stop = { stopped: false };
  process.on('SIGINT', () => {
    if (stop.stopped) process.exit(130);
    stop.stopped = true;
    printer.line('\nStopping at the next step and keeping the checkpoints (Ctrl-C again to exit at once)...');
  });
  return stop;
}

/** The command line that was run, with --resume, quoted for a POSIX shell; a URL's password shows as ***. */
export function resumeCommand(): string {
  // --overwrite would start over, and cannot go with --resume.
  const args = process.argv.slice(2).map(redactUrlText).filter((a) => a !== '--overwrite');
  if (!args.includes('--resume')) args.push('--resume');
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['gblend', ...args].map(quote).join(' ');
}

/** A flag that is not part of the config schema (an execution option) and must be a positive integer. */
export function positiveInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError('command line', null, `${flag}: must be a positive integer, got '${raw}'`);
  }
  return n;
}
