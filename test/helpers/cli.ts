/** Runs the built command line as a user does: a real process, on the WASM backend (present everywhere). */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function gblend(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, GBLEND_BACKEND: 'wasm' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A user error as the contract says: exit 2 and exactly one line on stderr, matching `message`. */
export function assertUserError(r: CliResult, message: RegExp, what = ''): void {
  const where = `${what}\nstderr: ${r.stderr}`;
  if (r.code !== 2) throw new Error(`expected exit 2, got ${r.code}${where}`);
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0]!.startsWith('gblend: error: ')) throw new Error(`expected one 'gblend: error:' line${where}`);
  if (!message.test(lines[0]!)) throw new Error(`expected ${message}${where}`);
}
