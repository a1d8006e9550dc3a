/**
 * The command line as a long-lived process (a worker, a coordinator): its output collected, waited on
 * by pattern, and killed by its process id. Every process started here is remembered, so that a test
 * can end them all (`endAll`) however it ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

const started = new Set<CliProcess>();

export class CliProcess {
  readonly process: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(args: string[], env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GBLEND_BACKEND: 'wasm', ...env } });
    started.add(this);
    const heard = (): void => {
      for (const w of this.waiters) w();
    };
    this.process.stdout!.on('data', (c: Buffer) => ((this.stdout += c.toString()), heard()));
    this.process.stderr!.on('data', (c: Buffer) => ((this.stderr += c.toString()), heard()));
    this.exited = new Promise((done) => this.process.once('exit', (code) => (started.delete(this), heard(), done(code))));
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Resolves with the match once the output matches `pattern`; rejects after `ms` or when the process exits first. */
  waitFor(pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(this.output);
        if (m !== null) return finish(() => resolve(m));
        if (!this.running) finish(() => reject(new Error(`exited (${this.process.exitCode ?? this.process.signalCode}) before ${pattern}:\n${this.output}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} in ${ms} ms:\n${this.output}`))), ms);
      const finish = (then: () => void): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        then();
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Waits for the exit, failing after `ms` (then it is killed) rather than hanging the suite. */
  async exit(ms = 120_000): Promise<number | null> {
    const timer = setTimeout(() => this.kill('SIGKILL'), ms);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) process.kill(this.process.pid!, signal);
  }
}

/** Ends every process started here that still runs, and waits for them to exit. */
export async function endAll(): Promise<void> {
  const left = [...started];
  for (const p of left) p.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}
