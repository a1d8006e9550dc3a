/**
 * Issue 8, every core: `compare --jobs 2` gives the results of `--jobs 1` (wall times aside) and
 * exits; a worker killed mid-run is reported with its run, the other runs finish, the parent exits,
 * and --resume completes the comparison to the same results.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
let work = '';
let args: (out: string) => string[] = () => [];

before(async () => {
  const data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.6 }], 30, 3));
  work = await mkdtemp(join(tmpdir(), 'gblend-jobs-'));
  const config = join(work, 'config.json');
  await writeFile(config, JSON.stringify({ model: { mlpHidden: [256, 256], fusedHidden: 32 } }));
  args = (out) => [CLI, 'compare', '--data', data, '--config', config, '--methods', 'naive,aux,gblend-offline', '--seeds', '2', '--epochs', '6', '--batch-size', '8', '--out', out];
});

const timeless = (file: string): unknown => {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { methods: Record<string, { seconds?: unknown; time_vs_naive?: unknown }> };
  // Wall times, and their ratios, differ between any two runs.
  for (const m of Object.values(r.methods)) {
    delete m.seconds;
    delete m.time_vs_naive;
  }
  return r;
};

/** Runs the CLI to its end; a parent that does not exit fails here instead of hanging the suite. */
function gblend(out: string, ...extra: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [...args(out), ...extra], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, `the process did not exit: ${String(r.error)}`);
  return { code: r.status, stderr: r.stderr };
}

test('--jobs 2: the results of --jobs 1, and the process exits', () => {
  const one = gblend(join(work, 'one'), '--jobs', '1', '--quiet');
  assert.equal(one.code, 0, one.stderr);
  const two = gblend(join(work, 'two'), '--jobs', '2', '--quiet');
  assert.equal(two.code, 0, two.stderr);
  assert.deepEqual(timeless(join(work, 'two', 'results.json')), timeless(join(work, 'one', 'results.json')));
  assert.ok(!existsSync(join(work, 'two', 'checkpoints')));
});

test('a worker that dies is reported with its run; the others finish; the parent exits; --resume completes', { skip: !existsSync('/proc/self/task') && 'needs /proc to find the workers' }, async () => {
  const out = join(work, 'crash');
  const parent = spawn(process.execPath, [...args(out), '--jobs', '2', '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let victim: number | null = null;
  parent.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    // Once the first run is under way, kill the worker that was started first.
    if (victim === null && /epoch 2:/.test(stderr)) {
      const workers = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      victim = Math.min(...workers);
      process.kill(victim, 'SIGKILL');
    }
  });
  const code = await new Promise<number | null>((done) => {
    const timer = setTimeout(() => parent.kill('SIGKILL'), 60_000);
    parent.once('exit', (c) => (clearTimeout(timer), done(c)));
  });
  assert.notEqual(victim, null, stderr);
  assert.equal(code, 1, stderr);
  const died = /gblend: error: (\S+) seed (\d): the worker process died \(signal SIGKILL\)/.exec(stderr);
  assert.ok(died, stderr);
  assert.match(stderr, /Finished runs are kept; resume with: gblend compare .* --resume/);
  // Every other run finished.
  const results = (await readdir(join(out, 'checkpoints'))).filter((f) => f.endsWith('.result.json'));
  assert.equal(results.length, 5, results.join(', '));
  assert.ok(!results.includes(`${died[1]}_seed${died[2]}.result.json`));
  const resumed = gblend(out, '--jobs', '2', '--resume', '--quiet');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(timeless(join(out, 'results.json')), timeless(join(work, 'one', 'results.json')));
});

/** Starts the CLI, sends SIGINT `times` times once stderr matches `when`, and returns its exit code and stderr. */
async function interrupt(out: string, extra: string[], when: RegExp, times: number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const p = spawn(process.execPath, [...args(out), ...extra, '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent = 0;
  let t0 = 0;
  p.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (sent === 0 && when.test(stderr)) {
      t0 = performance.now();
      for (; sent < times; sent++) p.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => p.once('exit', (c) => done(c)));
  return { code, stderr, ms: performance.now() - t0 };
}

test('Ctrl-C: stops at the next step, prints the resume command; report marks the interrupted comparison; --resume completes it', async () => {
  const out = join(work, 'ctrl-c');
  const r = await interrupt(out, ['--jobs', '1'], /aux seed 0: epoch 2:/, 1);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /Interrupted: 2 of 6 runs finished; the others resume from their last epoch\.\nResume with: gblend compare .*--out \S+ --jobs 1 --verbose --resume\n/);
  assert.ok(existsSync(join(out, 'runs', 'aux_seed0.jsonl.partial')), 'the interrupted run keeps its partial log');
  const report = spawnSync(process.execPath, [CLI, 'report', out], { encoding: 'utf8' });
  assert.equal(report.status, 0, report.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /Interrupted comparison:<\/strong> 2 of 6 runs finished; not finished: aux seed 0, aux seed 1, gblend-offline seed 0, gblend-offline seed 1/);
  assert.ok(!existsSync(join(out, 'results.json')), 'no results.json before the comparison is complete');
  const resumed = gblend(out, '--jobs', '1', '--resume', '--quiet');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(timeless(join(out, 'results.json')), timeless(join(work, 'one', 'results.json')));
});

test('Ctrl-C twice: exits at once, in workers too', async () => {
  const r = await interrupt(join(work, 'ctrl-c-twice'), ['--jobs', '2'], /seed 0: epoch 1:/, 2);
  assert.equal(r.code, 130, r.stderr);
  assert.ok(r.ms < 3000, `took ${r.ms} ms to exit`);
});

/** Processes of a group still running (zombies, dead but not yet reaped by init, do not count), from Linux's /proc. */
function runningInGroup(pgid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its closing parenthesis.
      const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      return Number(pgrp) === pgid && state !== 'Z' ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * A terminal's Ctrl-C goes to the whole process group, the workers included, which also hear their
 * parent's stop: one Ctrl-C, not two. Starts the CLI as the leader of its own group and signals the group.
 */
async function interruptGroup(out: string, extra: string[], when: RegExp, times: 1 | 2): Promise<{ code: number | null; stderr: string; pgid: number }> {
  const p = spawn(process.execPath, [...args(out), ...extra, '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  let sent = 0;
  p.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    // The second once the first was heard: two signals sent at once may arrive as one.
    if ((sent === 0 && when.test(stderr)) || (sent === 1 && times === 2 && /Stopping at the next step/.test(stderr))) {
      sent++;
      process.kill(-p.pid!, 'SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => {
    const timer = setTimeout(() => process.kill(-p.pid!, 'SIGKILL'), 60_000);
    p.once('exit', (c) => (clearTimeout(timer), done(c)));
  });
  return { code, stderr, pgid: p.pid! };
}

test('Ctrl-C to the process group with --jobs 2: an interruption, not a crash; --resume completes it', async () => {
  const out = join(work, 'ctrl-c-group');
  const r = await interruptGroup(out, ['--jobs', '2'], /seed 0: epoch 2:/, 1);
  assert.doesNotMatch(r.stderr, /died|error/, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /Interrupted: \d of 6 runs finished; the others resume from their last epoch\.\nResume with: gblend compare .*--jobs 2 --verbose --resume\n/);
  const resumed = gblend(out, '--jobs', '2', '--resume', '--quiet');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(timeless(join(out, 'results.json')), timeless(join(work, 'one', 'results.json')));
});

test('Ctrl-C twice to the process group with --jobs 2: exits 130 at once, and no worker outlives the parent', { skip: !existsSync('/proc/self/stat') && 'needs /proc to find the workers' }, async () => {
  const r = await interruptGroup(join(work, 'ctrl-c-group-twice'), ['--jobs', '2'], /seed 0: epoch 1:/, 2);
  assert.equal(r.code, 130, r.stderr);
  assert.doesNotMatch(r.stderr, /Resume with/, 'the second Ctrl-C exits at once');
  await new Promise((done) => setTimeout(done, 500));
  assert.deepEqual(runningInGroup(r.pgid), [], 'a worker outlived its parent');
});
