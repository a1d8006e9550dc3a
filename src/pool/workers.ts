/**
 * `compare --jobs N`: the jobs in N worker processes (src/pool/worker.ts), each taking the next job
 * when it finishes one. A worker that dies is reported with the run it had, a new one takes the rest
 * of the queue, and the promise settles once every worker has exited: nothing is left to hang.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { StopSignal } from '../train/interrupted.js';
import type { Job } from './job.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { JobCallbacks, JobsOutcome } from './outcome.js';

const WORKER = new URL('./worker.js', import.meta.url);

export function runInWorkers(jobs: Job[], workers: number, callbacks: JobCallbacks, stop: StopSignal): Promise<JobsOutcome> {
  const outcome: JobsOutcome = { results: new Map(), failures: [], interrupted: [] };
  const queue = jobs.slice();
  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  const children = new Set<ChildProcess>();
  // A parent that exits (a second Ctrl-C) takes its workers with it, at once, whatever they are doing.
  const killAll = (): void => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  return new Promise((resolve) => {
    // A stop request is a flag (set by a signal handler): look at it often, and pass it on once.
    let stopSent = false;
    const watch = setInterval(() => {
      if (!stop.stopped || stopSent) return;
      stopSent = true;
      for (const child of children) if (child.connected) child.send({ kind: 'stop' } satisfies ToWorker);
    }, 100);
    const settleIfIdle = (): void => {
      if (children.size > 0) return;
      clearInterval(watch);
      process.off('exit', killAll);
      outcome.interrupted.push(...queue.splice(0));
      resolve(outcome);
    };
    const spawn = (): void => {
      const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.add(child);
      let current: Job | null = null;
      const next = (): void => {
        current = stop.stopped ? null : (queue.shift() ?? null);
        if (current === null) {
          child.disconnect();
          return;
        }
        callbacks.onStart?.(current);
        child.send({ kind: 'run', job: current } satisfies ToWorker);
      };
      child.on('message', (m: FromWorker) => {
        const job = byIndex.get(m.index)!;
        if (m.kind === 'event') callbacks.onEvent?.(job, m.event);
        else if (m.kind === 'progress') callbacks.onProgress?.(job, m.progress);
        else if (m.kind === 'checkpoint') return;
        else {
          if (m.kind === 'done') {
            outcome.results.set(job.index, m.result);
            callbacks.onDone?.(job, m.result);
          } else if (m.interrupted) outcome.interrupted.push(job);
          else outcome.failures.push({ job, error: null, message: m.message, code: m.code });
          current = null;
          next();
        }
      });
      // 'exit' also follows a failed start ('error'), so both end here once.
      child.once('exit', (code, signal) => {
        children.delete(child);
        // A worker ended by Ctrl-C (before its handler was set, or a second one) was interrupted, not crashed.
        if (current !== null && (signal === 'SIGINT' || code === 130)) {
          outcome.interrupted.push(current);
          current = null;
        }
        if (current !== null) {
          const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
          const { method, seed } = current.config;
          outcome.failures.push({ job: current, error: null, message: `${method} seed ${seed}: the worker process died (${how})`, code: null });
          current = null;
          if (queue.length > 0 && !stop.stopped) spawn();
        }
        settleIfIdle();
      });
      child.on('error', () => undefined);
      next();
    };
    for (let i = 0; i < Math.min(workers, queue.length); i++) spawn();
    settleIfIdle();
  });
}
