/**
 * Issue 8, Ctrl-C with --jobs N: a terminal's Ctrl-C reaches a worker twice, as its own SIGINT and as
 * its parent's `stop` message, in either order. That is one Ctrl-C: the worker stops and stays; only
 * a second SIGINT makes it exit at once. The order is forced here (the message first, as a worker busy
 * in a step sees it), which a whole-group signal only sometimes gives.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FromWorker, ToWorker } from '../../src/pool/messages.js';

const WORKER = new URL('../../src/pool/worker.js', import.meta.url);

/** A job the worker answers at once, with a failure: its dataset folder does not exist. */
const probe = (index: number): ToWorker => ({
  kind: 'run',
  job: { index, name: 'naive', config: { backend: 'cpu', modalities: null } as never, dataDir: join(tmpdir(), 'gblend-no-such-dataset'), files: { checkpoint: null, log: null, result: null }, resume: false },
});

/** Sends `message`, then a probe, and resolves once the probe is answered: the worker has read both. */
function settled(child: ChildProcess, message: ToWorker | null, index: number): Promise<void> {
  return new Promise((done) => {
    const onMessage = (m: FromWorker): void => {
      if (m.kind === 'failed' && m.index === index) (child.off('message', onMessage), done());
    };
    child.on('message', onMessage);
    if (message !== null) child.send(message);
    child.send(probe(index));
  });
}

const exited = (child: ChildProcess, ms: number): Promise<number | null | 'running'> =>
  new Promise((done) => {
    if (child.exitCode !== null) return done(child.exitCode);
    const timer = setTimeout(() => done('running'), ms);
    child.once('exit', (code) => (clearTimeout(timer), done(code)));
  });

test("a worker's SIGINT after its parent's stop is the same Ctrl-C; a second SIGINT exits 130", async () => {
  const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    // Probes until the worker listens (a message sent before its module has loaded would be lost).
    await new Promise<void>((ready) => {
      const again = setInterval(() => child.send(probe(-1)), 200);
      child.once('message', () => (clearInterval(again), ready()));
      child.send(probe(-1));
    });
    await settled(child, { kind: 'stop' }, 1);
    process.kill(child.pid!, 'SIGINT');
    assert.equal(await exited(child, 500), 'running', 'one Ctrl-C (a stop, then its SIGINT) made the worker exit');
    process.kill(child.pid!, 'SIGINT');
    assert.equal(await exited(child, 5000), 130);
  } finally {
    child.kill('SIGKILL');
  }
});
