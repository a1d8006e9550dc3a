/**
 * Issue 11, what a queue must refuse or give up on, each with one line that says why: Redis that is
 * not there or goes away (after the timeout, never a hang), a worker whose dataset differs from the
 * coordinator's, and a payload that is not a gblend run; `queue status` and `queue clean` on what is left.
 */
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { Queue } from 'bullmq';
import { CliProcess, endAll } from '../helpers/cli-process.js';
import { freePort, RedisServer, redisSkip } from '../helpers/redis-server.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';
import { decodeFailure } from '../../src/queue/payload.js';

const ENV = { GBLEND_QUEUE_LOCK_MS: '1000', GBLEND_QUEUE_TIMEOUT_MS: '1500' };
const servers: RedisServer[] = [];

afterEach(async () => {
  await endAll();
  for (const s of servers.splice(0)) await s.close();
});

async function redis(): Promise<RedisServer> {
  const server = await RedisServer.start();
  servers.push(server);
  return server;
}

function assertOneLine(p: CliProcess, code: number | null, message: RegExp): void {
  assert.equal(code, 2, p.output);
  const lines = p.stderr.trimEnd().split('\n').filter((l) => l.startsWith('gblend: error: '));
  assert.equal(lines.length, 1, p.stderr);
  assert.match(lines[0]!, message);
}

const MODALITIES = [{ name: 'a', shape: [3], separation: 1 }, { name: 'b', shape: [2], separation: 1 }];
const tinyArgs = (data: string): string[] => ['compare', '--data', data, '--methods', 'naive', '--seeds', '2', '--epochs', '2', '--batch-size', '8'];

test('Redis not there: compare and worker fail after the timeout with one line, the password hidden', { timeout: 60_000 }, async () => {
  const url = `redis://:hidden-pw@127.0.0.1:${await freePort()}`;
  const data = await writeDatasetDir(tinyDataset(MODALITIES));
  for (const p of [new CliProcess([...tinyArgs(data), '--queue', url], ENV), new CliProcess(['worker', '--queue', url], ENV)]) {
    assertOneLine(p, await p.exit(30_000), /cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ within 1\.5 s \(.*ECONNREFUSED.*\); is Redis running there\?/);
    assert.ok(!p.output.includes('hidden-pw'), p.output);
  }
});

test('Redis gone for good mid-grid: the worker and the coordinator give up after the timeout with one line', { skip: redisSkip, timeout: 60_000 }, async () => {
  const server = await redis();
  const data = await writeDatasetDir(tinyDataset(MODALITIES));
  const w = new CliProcess(['worker', '--queue', server.url], ENV);
  await w.waitFor(/taking runs from/);
  const c = new CliProcess([...tinyArgs(data), '--epochs', '200', '--queue', server.url, '--verbose'], ENV);
  await c.waitFor(/epoch 1:/);
  await server.stop();
  assertOneLine(w, await w.exit(30_000), /lost the queue at redis:\/\/127\.0\.0\.1:\d+: no answer for 1\.5 s/);
  assertOneLine(c, await c.exit(30_000), /lost the queue at redis:\/\/127\.0\.0\.1:\d+: no answer for 1\.5 s/);
});

test('a worker whose copy of the dataset differs refuses the run; status shows it failed; clean empties the queue', { skip: redisSkip, timeout: 60_000 }, async () => {
  const server = await redis();
  const original = await writeDatasetDir(tinyDataset(MODALITIES));
  const data = `${original}-copy`;
  await cp(original, data, { recursive: true });
  const c = new CliProcess([...tinyArgs(data), '--queue', server.url], { ...ENV, GBLEND_QUEUE_TIMEOUT_MS: '30000' });
  await c.waitFor(/2 runs queued now/);
  // The coordinator hashed its copy; the worker's (the same path, as on another machine) now differs.
  const manifest = join(data, 'dataset.json');
  await writeFile(manifest, `${await readFile(manifest, 'utf8')}\n`);
  const w = new CliProcess(['worker', '--queue', server.url], ENV);
  assertOneLine(c, await c.exit(30_000), /naive seed \d: worker \S+ refused the run: its copy of the dataset '.*-copy' \(.*\) differs from the coordinator's \(content hash [0-9a-f]{12} here, [0-9a-f]{12} there\); give every worker the same files/);
  await w.waitFor(/naive seed 1: failed: /);
  const status = new CliProcess(['queue', 'status', '--queue', server.url], ENV);
  assert.equal(await status.exit(), 0, status.output);
  assert.match(status.stdout, /grid [0-9a-f]{16}: 0 running, 2 failed, 0 waiting, 0 finished/);
  assert.match(status.stdout, /failed {3}naive seed 0 on \S+: naive seed 0: worker \S+ refused the run/);
  const clean = new CliProcess(['queue', 'clean', '--queue', server.url], ENV);
  assert.equal(await clean.exit(), 0, clean.output);
  assert.match(clean.stdout, /Removed 2 runs from redis:\/\/127\.0\.0\.1:\d+/);
  const after = new CliProcess(['queue', 'status', '--queue', server.url], ENV);
  await after.exit();
  assert.match(after.stdout, /is empty/);
});

test('a payload that is not a gblend run is refused before anything trains, naming the field', { skip: redisSkip, timeout: 60_000 }, async () => {
  const server = await redis();
  const w = new CliProcess(['worker', '--queue', server.url], ENV);
  await w.waitFor(/taking runs from/);
  const queue = new Queue('gblend', { connection: { url: server.url } });
  try {
    const payload = { version: 1, grid: '0123456789abcdef', index: 0, name: 'naive', data: 'avdigits', dataHash: 'f'.repeat(64), backend: 'wasm', config: { epochs: 0 } };
    const job = await queue.add('run', payload, { jobId: '0123456789abcdef.naive_seed0' });
    await w.waitFor(/job 0123456789abcdef\.naive_seed0: failed: queued job/);
    // The worker says so just before BullMQ records the failure.
    for (let i = 0; i < 100 && (await queue.getJob(job.id!))!.failedReason === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    const failed = (await queue.getJob(job.id!))!;
    assert.equal(await failed.getState(), 'failed');
    const reason = decodeFailure(failed.failedReason);
    assert.equal(reason.code, 'bad_job');
    assert.equal(reason.message, "queued job '0123456789abcdef.naive_seed0' is not a gblend run: 'config.epochs': must be greater than 0, got 0");
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
});
