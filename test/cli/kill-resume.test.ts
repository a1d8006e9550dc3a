/**
 * Issue 8: `compare` killed with SIGKILL at 20 seeded moments (at random, during a checkpoint write,
 * during an Algorithm 1 estimate, and with --jobs 2 where the workers must not outlive their parent),
 * resumed each time with --resume: the final results.json and every run log equal the uninterrupted
 * comparison's (wall times aside), and no half-written file or checkpoint is left anywhere.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/core/rng.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const KILLS = 20;

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** A JSON text with every wall time zeroed: the only numbers two runs may not share. */
const timeless = (text: string): string =>
  text.replace(/"seconds":\s*(\{[^}]*\}|[-\d.e+]+)/g, '"seconds":0').replace(/"time_vs_naive":\s*([-\d.e+]+|null)/g, '"time_vs_naive":0');

/** The workers (children) of a process, from Linux's /proc; empty elsewhere. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

type Moment = 'random' | 'checkpoint write' | 'estimate' | 'random, --jobs 2';

test(`compare survives ${KILLS} SIGKILLs and resumes to the uninterrupted results, bit for bit`, { timeout: 150_000 }, async () => {
  const data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.6 }], 30, 3));
  const work = await mkdtemp(join(tmpdir(), 'gblend-kill-'));
  const config = join(work, 'config.json');
  // Wide layers, so that a checkpoint write lasts long enough to be caught in the middle.
  await writeFile(config, JSON.stringify({ model: { mlpHidden: [384, 384], fusedHidden: 64 }, blend: { warmupEpochs: 2, superEpochEpochs: 3 } }));
  const args = (out: string): string[] => [CLI, 'compare', '--data', data, '--config', config, '--methods', 'naive,gblend-online,gblend-offline', '--seeds', '2', '--epochs', '16', '--batch-size', '8', '--out', out, '--verbose'];
  // A checkpoint at every epoch boundary (not once a second), so that kills land in checkpoint writes.
  const env = { ...process.env, GBLEND_CHECKPOINT_SECONDS: '0' };
  const start = (out: string, extra: string[]): ChildProcess => spawn(process.execPath, [...args(out), ...extra], { stdio: ['ignore', 'ignore', 'pipe'], env });
  const exited = (p: ChildProcess): Promise<number | null> => new Promise((done) => (p.exitCode !== null || p.signalCode !== null ? done(p.exitCode) : p.once('exit', (code) => done(code))));

  const whole = join(work, 'whole');
  const w = start(whole, ['--jobs', '1']);
  assert.equal(await exited(w), 0);

  const out = join(work, 'killed');
  const rng = createRng(8);
  const counts = { kills: 0, resumes: 0, confirmed: { 'checkpoint write': 0, estimate: 0, 'orphans gone': 0 } };
  const moments: Moment[] = ['random', 'checkpoint write', 'estimate', 'random, --jobs 2'];
  for (let k = 0; k < KILLS; k++) {
    const moment = moments[k % moments.length]!;
    const p = start(out, ['--resume', '--jobs', moment === 'random, --jobs 2' ? '2' : '1']);
    if (k > 0) counts.resumes++;
    let stderr = '';
    const kill = (): void => void p.kill('SIGKILL');
    let armed: { close(): void } | null = null;
    if (moment === 'checkpoint write') {
      // The first checkpoint write at least a few epochs in, killed as soon as its temporary file appears.
      let skip = rng.int(4);
      const watcher = setInterval(() => {
        if (!existsSync(join(out, 'checkpoints'))) return;
        clearInterval(watcher);
        const fsw = watch(join(out, 'checkpoints'), (_e, name) => {
          if (name?.endsWith('.ckpt.partial') && skip-- <= 0) kill();
        });
        armed = fsw;
      }, 2);
      armed = { close: () => clearInterval(watcher) };
    }
    p.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // An estimate starts right after a gblend run's start (offline, online) or its warm-up (online).
      if (moment === 'estimate' && /gblend-(online|offline) seed \d: (start:|epoch 2:)/.test(stderr)) setTimeout(kill, 5 + rng.int(40));
    });
    const timer = setTimeout(kill, moment.startsWith('random') ? 300 + rng.int(1000) : 4000);
    const workers: number[] = [];
    const poll = setInterval(() => workers.push(...childrenOf(p.pid!).filter((c) => !workers.includes(c))), 20);
    const code = await exited(p);
    clearTimeout(timer);
    clearInterval(poll);
    (armed as { close(): void } | null)?.close();
    if (code === 0) break;
    assert.equal(p.signalCode, 'SIGKILL', stderr);
    counts.kills++;
    const left = await files(out);
    if (moment === 'checkpoint write' && left.some((f) => f.endsWith('.ckpt.partial'))) counts.confirmed['checkpoint write']++;
    if (moment === 'estimate' && /gblend-(online|offline) seed \d: (start:|epoch 2:)[^\n]*\n(?![^\n]*blend estimate)/.test(stderr.split('\n').slice(-3).join('\n'))) counts.confirmed.estimate++;
    if (workers.length > 0) {
      // Orphaned workers notice their parent's death before their next step or write.
      const deadline = Date.now() + 5000;
      while (workers.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!workers.some(alive), `workers ${workers.join(', ')} outlived their killed parent`);
      counts.confirmed['orphans gone']++;
    }
  }
  const last = start(out, ['--resume', '--jobs', '1']);
  let lastErr = '';
  last.stderr!.on('data', (c: Buffer) => void (lastErr += c.toString()));
  counts.resumes++;
  assert.equal(await exited(last), 0, lastErr.split('\n').filter((l) => !l.startsWith('[')).join('\n'));

  console.log(`kills ${counts.kills}, resumes ${counts.resumes}, ${JSON.stringify(counts.confirmed)}`);
  assert.equal(counts.kills, KILLS, 'the comparison finished before every kill was made: make it longer');
  assert.deepEqual(await files(out), await files(whole), 'the same files, and no .partial or checkpoint left');
  for (const f of await files(whole)) {
    if (f.endsWith('.html')) continue;
    assert.equal(timeless(await readFile(join(out, f), 'utf8')), timeless(await readFile(join(whole, f), 'utf8')), f);
  }
});
