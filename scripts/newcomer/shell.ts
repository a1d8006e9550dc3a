/** Runs a newcomer's shell commands for the README and package tests, in a clean environment. */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs from dist/scripts/newcomer/. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ShellResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The test runner's 'not ok' lines, if any, then the last lines of stdout and stderr together, for a failure message. */
  tail: string;
  seconds: number;
}

/**
 * The environment a newcomer's shell has: ours, less what `npm run` adds (npm_config_* would steer
 * the npm commands under test, npm_package_* describes this package, not theirs) and what Node's
 * test runner adds (NODE_TEST_CONTEXT would make a nested `node --test` report to us, not print).
 */
export function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && !['INIT_CWD', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT'].includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** `bash -c command` in cwd; never throws (the caller asserts on the result). */
export function sh(command: string, cwd: string, timeoutMinutes = 20, env: NodeJS.ProcessEnv = newcomerEnv()): ShellResult {
  const t0 = Date.now();
  const r = spawnSync('bash', ['-c', `${command} 2>&1`], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMinutes * 60_000,
    maxBuffer: 256 << 20,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  const lines = out.trimEnd().split('\n');
  // A test runner's failures can be far above the tail: name them first.
  const failures = lines.filter((l) => /^\s*not ok \d+/.test(l)).slice(0, 20);
  const tail = [...(failures.length > 0 ? ['failures:', ...failures, '...'] : []), ...lines.slice(-60)].join('\n');
  return { status: r.status, signal: r.signal, tail, seconds: (Date.now() - t0) / 1000 };
}

/** A one-paragraph failure message: which command, where, how it ended, and its last output. */
export function failure(command: string, cwd: string, r: ShellResult): string {
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
  return `command failed (${how} after ${r.seconds.toFixed(0)} s): ${command}\n  in ${cwd}\n--- last output ---\n${r.tail}`;
}
