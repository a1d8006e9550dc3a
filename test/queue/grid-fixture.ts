/**
 * The grid every queue test runs: 2 methods x 2 seeds on a tiny dataset, G-Blend online among them
 * (its estimates must resume alike too), and the local `--jobs 1` run it must equal, computed once.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';
import { CliProcess } from '../helpers/cli-process.js';

export interface Grid {
  work: string;
  data: string;
  /** `compare` with its options, writing into `out`. */
  args(out: string): string[];
  /** The local --jobs 1 run's folder. */
  local: string;
}

export const RUNS = 4;

export async function makeGrid(): Promise<Grid> {
  const data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.6 }], 30, 3));
  const work = await mkdtemp(join(tmpdir(), 'gblend-queue-'));
  const config = join(work, 'config.json');
  await writeFile(config, JSON.stringify({ model: { mlpHidden: [256, 256], fusedHidden: 32 }, blend: { warmupEpochs: 2, superEpochEpochs: 3 } }));
  const args = (out: string): string[] => ['compare', '--data', data, '--config', config, '--methods', 'naive,gblend-online', '--seeds', '2', '--epochs', '8', '--batch-size', '8', '--out', out];
  const local = join(work, 'local');
  const run = new CliProcess([...args(local), '--jobs', '1', '--quiet']);
  assert.equal(await run.exit(), 0, run.output);
  return { work, data, args, local };
}

/** Wall times, the only numbers two runs may not share, zeroed. */
const timeless = (text: string): string =>
  text.replace(/"seconds":\s*(\{[^}]*\}|[-\d.e+]+)/g, '"seconds":0').replace(/"time_vs_naive":\s*([-\d.e+]+|null)/g, '"time_vs_naive":0');

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** results.json and every run log of `out` equal the local run's, wall times aside; nothing else is left. */
export async function assertSameAsLocal(grid: Grid, out: string): Promise<void> {
  assert.deepEqual(await files(out), await files(grid.local), 'the same files, and no checkpoint left');
  for (const f of await files(grid.local)) {
    if (f.endsWith('.html')) continue;
    assert.equal(timeless(readFileSync(join(out, f), 'utf8')), timeless(readFileSync(join(grid.local, f), 'utf8')), f);
  }
}

/** Every file under `dir` as text, for a search. */
export async function allText(dir: string): Promise<string> {
  return (await files(dir)).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}
