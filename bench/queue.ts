/**
 * `node dist/bench/queue.js [--workers 1,2] [--quick] [-- <compare flags>]`: a 40-run grid (4 methods x
 * 10 seeds on the built-in dataset) trained locally with `--jobs 1`, then over a Redis queue (a
 * redis-server of its own on a free local port) by 1, then 2 `gblend worker` processes. Reports each
 * wall time, checks that every way gave the same results.json, and measures the queue's overhead per
 * run: from the moment a run could start (queued, and its worker free) to the moment its worker began
 * it, in ms. See bench/README.md#queue.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timelessResults } from './timeless-results.js';
import { RedisServer } from '../test/helpers/redis-server.js';

const CLI = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bin', 'gblend.js');
const argv = process.argv.slice(2);
const rest = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];
const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
const workerCounts = (own.includes('--workers') ? own[own.indexOf('--workers') + 1]! : '1,2').split(',').map(Number);
// --quick: 2 epochs on a grid of the same size, to check the bench itself.
const grid = ['--methods', 'naive,aux,gblend-offline,gblend-online', '--seeds', '10', '--epochs', own.includes('--quick') ? '1' : '3', ...rest];


/** A worker's log lines as they came, each with the time it was read, in ms. */
interface Heard {
  at: number;
  line: string;
}

function startWorker(url: string, heard: Heard[]): ReturnType<typeof spawn> {
  const p = spawn(process.execPath, [CLI, 'worker', '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  let partial = '';
  p.stderr!.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) heard.push({ at: performance.now(), line });
  });
  return p;
}

/**
 * Per run: when its worker said it starts, less the later of when it was queued (the worker says how
 * long before) and when that worker finished its previous run. What is left is the queue's own delay.
 */
function overheads(logs: Heard[][]): number[] {
  const out: number[] = [];
  for (const log of logs) {
    let free = 0;
    for (const { at, line } of log) {
      const start = /\(queued ([\d.]+) s before\)$/.exec(line);
      if (start) out.push(at - Math.max(at - 1000 * Number(start[1]), free));
      if (/: done in /.test(line)) free = at;
    }
  }
  return out;
}

async function overQueue(workers: number): Promise<{ seconds: number; results: string; overhead_ms: number[] }> {
  const server = await RedisServer.start();
  const logs: Heard[][] = Array.from({ length: workers }, () => []);
  const procs = logs.map((log) => startWorker(server.url, log));
  const out = mkdtempSync(join(tmpdir(), 'gblend-bench-queue-'));
  try {
    while (logs.some((l) => !l.some((h) => h.line.includes('taking runs from')))) await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    // Not spawnSync: the workers' lines must be read, and timed, while the grid runs.
    const p = spawn(process.execPath, [CLI, 'compare', ...grid, '--out', out, '--queue', server.url, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (c: Buffer) => void (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => p.once('exit', done));
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`--queue with ${workers} workers failed: ${stderr}`);
    return { seconds, results: timelessResults(out), overhead_ms: overheads(logs) };
  } finally {
    for (const w of procs) w.kill('SIGKILL');
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

function local(): { seconds: number; results: string } {
  const out = mkdtempSync(join(tmpdir(), 'gblend-bench-queue-'));
  const t0 = performance.now();
  const p = spawnSync(process.execPath, [CLI, 'compare', ...grid, '--out', out, '--jobs', '1', '--quiet'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (p.status !== 0) throw new Error(`--jobs 1 failed: ${p.stderr}`);
  const results = timelessResults(out);
  rmSync(out, { recursive: true, force: true });
  return { seconds, results };
}

const stats = (xs: number[]): { median: number; mean: number; max: number; n: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Number(s[Math.floor(s.length / 2)]!.toFixed(1)), mean: Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)), max: Number(s[s.length - 1]!.toFixed(1)), n: xs.length };
};

process.stderr.write(`bench/queue: ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
const base = local();
process.stderr.write(`bench/queue: --jobs 1: ${base.seconds.toFixed(1)} s\n`);
const queued: Record<string, unknown> = {};
for (const n of workerCounts) {
  const r = await overQueue(n);
  if (r.results !== base.results) throw new Error(`--queue with ${n} workers gave other results than --jobs 1`);
  process.stderr.write(`bench/queue: --queue, ${n} worker${n === 1 ? '' : 's'}: ${r.seconds.toFixed(1)} s\n`);
  queued[`workers_${n}`] = {
    wall_seconds: Number(r.seconds.toFixed(2)),
    speedup_vs_jobs_1: Number((base.seconds / r.seconds).toFixed(2)),
    enqueue_to_start_ms: stats(r.overhead_ms),
    // Everything the queue adds to a run, spread over the runs: wall time over --jobs 1's.
    added_per_run_ms: Number((((r.seconds - base.seconds) * 1000) / r.overhead_ms.length).toFixed(1)),
  };
}
process.stdout.write(`${JSON.stringify({
  command: `gblend compare ${grid.join(' ')} --out DIR --queue URL`, cores: availableParallelism(), load_at_end: loadavg().map((x) => Number(x.toFixed(2))),
  jobs_1_wall_seconds: Number(base.seconds.toFixed(2)), queue: queued, identical_results: true,
}, null, 2)}\n`);
