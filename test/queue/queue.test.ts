/**
 * Issue 11: a comparison's runs on a BullMQ queue over a real Redis (the test's own, on a free local
 * port), trained by `gblend worker` processes: the results equal a local `--jobs 1` run bit for bit,
 * with the password hidden everywhere, after a worker is killed mid-run, and after Redis and the
 * coordinator are restarted mid-grid. Every test ends its processes and its Redis, even when it fails.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { CliProcess, endAll } from '../helpers/cli-process.js';
import { RedisServer, redisSkip } from '../helpers/redis-server.js';
import { allText, assertSameAsLocal, makeGrid, RUNS, type Grid } from './grid-fixture.js';

/** Short locks, so that a killed worker's run goes to another within about two seconds. */
// A checkpoint at every epoch (not once a second): the kill test resumes from a recent one.
const ENV = { GBLEND_QUEUE_LOCK_MS: '1000', GBLEND_QUEUE_TIMEOUT_MS: '30000', GBLEND_CHECKPOINT_SECONDS: '0' };
const servers: RedisServer[] = [];
let grid: Grid;

before(async () => {
  if (redisSkip === false) grid = await makeGrid();
});
afterEach(async () => {
  await endAll();
  for (const s of servers.splice(0)) await s.close();
});
after(async () => {
  await endAll();
});

async function redis(password: string | null = null): Promise<RedisServer> {
  const server = await RedisServer.start(password);
  servers.push(server);
  return server;
}

function worker(url: string, ...extra: string[]): CliProcess {
  return new CliProcess(['worker', '--queue', url, ...extra], ENV);
}

/** Locks that outlast a Redis restart and the reconnection after it: no run changes hands. */
const LONG_LOCKS = { ...ENV, GBLEND_QUEUE_LOCK_MS: '5000' };

test('over the queue: results and run logs equal a local --jobs 1 run, bit for bit; the password appears nowhere', { skip: redisSkip, timeout: 120_000 }, async () => {
  const secret = 'pw-4711-queue-secret';
  const server = await redis(secret);
  const w = worker(server.url, '--concurrency', '2');
  await w.waitFor(/taking runs from redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(2 at a time\)/);
  const out = join(grid.work, 'over-queue');
  const c = new CliProcess([...grid.args(out), '--queue', server.url, '--verbose'], ENV);
  assert.equal(await c.exit(), 0, c.output);
  await assertSameAsLocal(grid, out);
  assert.match(c.stderr, new RegExp(`Grid [0-9a-f]{16} on redis://:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}: ${RUNS} runs queued now`));
  assert.match(c.stderr, /\[\d\/4\] gblend-online seed 1: epoch 8:/, 'the same progress as a local run');
  const status = new CliProcess(['queue', 'status', '--queue', server.url], ENV);
  assert.equal(await status.exit(), 0, status.output);
  assert.match(status.stdout, /The queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is empty\./, 'a finished grid leaves nothing on the queue');
  // A first Ctrl-C ends a worker cleanly.
  w.kill('SIGINT');
  assert.equal(await w.exit(30_000), 0, w.output);
  for (const [what, text] of [['worker', w.output], ['coordinator', c.output], ['status', status.output], ['outputs', await allText(out)]] as const) {
    assert.ok(!text.includes(secret), `the password appears in the ${what}`);
  }
});

test('a worker killed mid-run: after the stall interval another resumes it from its checkpoint on the queue; results equal', { skip: redisSkip, timeout: 120_000 }, async () => {
  const server = await redis();
  const workers = [worker(server.url), worker(server.url), worker(server.url)];
  await Promise.all(workers.map((w) => w.waitFor(/taking runs from/)));
  const out = join(grid.work, 'killed-worker');
  const c = new CliProcess([...grid.args(out), '--queue', server.url, '--verbose'], ENV);
  const [, name, seed] = await c.waitFor(/\[\d\/4\] (\S+) seed (\d): epoch 3:/);
  const label = `${name} seed ${seed}`;
  const victim = workers.find((w) => w.output.includes(`${label} (grid`))!;
  assert.ok(victim !== undefined && !victim.output.includes(`${label}: done`), `no worker is running ${label}`);
  victim.kill('SIGKILL');
  const others = workers.filter((w) => w !== victim);
  const resumed = await Promise.any(others.map((w) => w.waitFor(new RegExp(`${label} \\(grid [0-9a-f]+\\): resumes at epoch (\\d+)`), 30_000)));
  // Epoch 3's event comes just before its checkpoint is stored: the kill may have come in between.
  assert.ok(Number(resumed[1]) >= 2, `resumed at epoch ${resumed[1]}, not from a recent checkpoint`);
  assert.equal(await c.exit(), 0, c.output);
  await assertSameAsLocal(grid, out);
  console.log(`killed the worker running ${label}; another resumed it at epoch ${resumed[1]}`);
});

test('Redis restarted and the coordinator killed mid-grid: the same command attaches without queueing a run twice; results equal', { skip: redisSkip, timeout: 180_000 }, async () => {
  const server = await redis();
  const workers = [0, 1].map(() => new CliProcess(['worker', '--queue', server.url], LONG_LOCKS));
  await Promise.all(workers.map((w) => w.waitFor(/taking runs from/)));
  const out = join(grid.work, 'restarts');
  const first = new CliProcess([...grid.args(out), '--queue', server.url, '--verbose'], LONG_LOCKS);
  await first.waitFor(new RegExp(`${RUNS} runs queued now, 0 already queued`));
  await first.waitFor(/seed \d: epoch 2:/);
  first.kill('SIGKILL');
  await first.exited;
  await server.stop();
  await new Promise((r) => setTimeout(r, 300));
  await server.resume();
  const second = new CliProcess([...grid.args(out), '--queue', server.url], LONG_LOCKS);
  const logs = (): string => `${second.output}\nworkers:\n${workers.map((w) => w.output).join('\n---\n')}`;
  assert.equal(await second.exit(60_000), 0, logs());
  const attach = /(\d+) runs queued now, (\d+) already queued or running, (\d+) finished/.exec(second.stderr);
  assert.ok(attach !== null, second.stderr);
  assert.equal(attach[1], '0', `the restarted coordinator queued runs again: ${attach[0]}`);
  await assertSameAsLocal(grid, out);
  const starts = workers.flatMap((w) => [...w.output.matchAll(/^(\S+ seed \d) \(grid [0-9a-f]+\): starts/gm)].map((m) => m[1]!));
  assert.equal(new Set(starts).size, starts.length, `a run was trained from scratch twice: ${starts.join(', ')}\n${logs()}`);
  assert.equal(starts.length, RUNS);
});
