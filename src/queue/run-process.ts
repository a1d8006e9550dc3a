/**
 * A child process that trains one queued run at a time for `gblend worker`: the pool's worker
 * (src/pool/worker.ts), the same as `compare --jobs N` uses. Training blocks its thread for seconds at
 * a time; in a child it leaves the worker's own event loop free to renew the job's lock on time, and a
 * child dies with its parent (it checks before every step), so a killed worker leaves nothing running.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Job } from '../pool/job.js';
import type { FromWorker, ToWorker } from '../pool/messages.js';
import type { SeedResult } from '../report/results.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';

const POOL_WORKER = new URL('../pool/worker.js', import.meta.url);

export interface RunHandlers {
  onEvent(event: RunEvent): void;
  onProgress(progress: ProgressEvent): void;
  /** After each checkpoint; the run waits for it. A rejection stops the run (the process is killed). */
  onCheckpoint(): Promise<void>;
}

/** A run that did not finish: a user error (code), a crash, or stopped on request. */
export class RunEnded extends Error {
  constructor(message: string, readonly code: string | null, readonly interrupted: boolean) {
    super(message);
    this.name = 'RunEnded';
  }
}

export class RunProcess {
  private readonly child: ChildProcess;
  private settle: ((m: FromWorker | Error) => void) | null = null;
  /** Killed, or exited: a signal takes a moment to land, and such a process must take no other run. */
  private ended = false;
  /** The content hash of each dataset folder this process has loaded (and keeps loaded). */
  readonly datasets = new Map<string, string>();

  constructor() {
    this.child = fork(POOL_WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('error', () => undefined);
    this.child.once('exit', (code, signal) => {
      this.ended = true;
      this.settle?.(new RunEnded(`the run's process died (${signal !== null ? `signal ${signal}` : `exit code ${code}`})`, null, false));
    });
  }

  get alive(): boolean {
    return !this.ended && this.child.exitCode === null && this.child.signalCode === null;
  }

  run(job: Job, handlers: RunHandlers): Promise<SeedResult> {
    return new Promise<SeedResult>((resolve, reject) => {
      if (!this.alive) return reject(new RunEnded("the run's process had ended before the run", null, false));
      const onMessage = (m: FromWorker): void => {
        if (m.kind === 'event') handlers.onEvent(m.event);
        else if (m.kind === 'progress') handlers.onProgress(m.progress);
        else if (m.kind === 'checkpoint') {
          handlers.onCheckpoint().then(
            () => this.send({ kind: 'stored', index: m.index }),
            (err: unknown) => {
              this.kill();
              finish(err instanceof Error ? err : new Error(String(err)));
            },
          );
        } else finish(m);
      };
      const finish = (m: FromWorker | Error): void => {
        this.child.off('message', onMessage);
        this.settle = null;
        if (m instanceof Error) reject(m);
        else if (m.kind === 'done') resolve(m.result);
        else if (m.kind === 'failed') reject(new RunEnded(m.message, m.code, m.interrupted));
      };
      this.settle = finish;
      this.child.on('message', onMessage);
      this.send({ kind: 'run', job, shareCheckpoints: true });
    });
  }

  /** Stops the run at its next step (it ends as interrupted). */
  stop(): void {
    this.send({ kind: 'stop' });
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
    this.ended = true;
  }

  /** Lets the process exit once it is idle (it exits when its channel closes). */
  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private send(message: ToWorker): void {
    if (this.child.connected) this.child.send(message);
  }
}
