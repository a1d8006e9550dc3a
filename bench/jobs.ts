/**
 * `node dist/bench/jobs.js [--jobs 1,2] [--repeats N] [-- compare flags...]`: wall time of `npm start`'s
 * comparison (its flags read from package.json's start script; every default method on the built-in
 * dataset) at each --jobs value, the same run each time (into a fresh temporary --out), one after
 * another, in alternation when repeated. Flags after `--` are added (a later one wins).
 * Also checks that every --jobs value gave the same results.json (wall times aside). This is how
 * compare's default --jobs (one per core) was chosen; see bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timelessResults } from './timeless-results.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const rest = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && (argv.indexOf('--') < 0 || i < argv.indexOf('--')) ? argv[i + 1]! : fallback;
};
const jobsList = flag('--jobs', '1,2').split(',').map(Number);

/** npm start's compare flags, without its --out and --overwrite (each run here writes into a new folder). */
function npmStartFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const flags = start.slice(start.indexOf('compare') + 1);
  const out = flags.indexOf('--out');
  if (out >= 0) flags.splice(out, 2);
  return flags.filter((f) => f !== '--overwrite');
}
const startFlags = npmStartFlags();
const repeats = Number(flag('--repeats', '1'));


const times = new Map<number, number[]>(jobsList.map((j) => [j, []]));
let reference: string | null = null;
process.stderr.write(`bench/jobs: ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
for (let r = 0; r < repeats; r++) {
  for (const jobs of jobsList) {
    const out = mkdtempSync(join(tmpdir(), 'gblend-bench-jobs-'));
    const t0 = performance.now();
    const p = spawnSync(process.execPath, [join(ROOT, 'bin', 'gblend.js'), 'compare', ...startFlags, '--out', out, '--jobs', String(jobs), '--quiet', ...rest], { encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`--jobs ${jobs} failed: ${p.stderr}`);
    const got = timelessResults(out);
    reference ??= got;
    if (got !== reference) throw new Error(`--jobs ${jobs} gave other results than --jobs ${jobsList[0]}`);
    rmSync(out, { recursive: true, force: true });
    times.get(jobs)!.push(seconds);
    process.stderr.write(`bench/jobs: --jobs ${jobs}: ${seconds.toFixed(1)} s\n`);
  }
}
const best = (j: number): number => Math.min(...times.get(j)!);
const base = best(jobsList[0]!);
process.stdout.write(`${JSON.stringify({
  command: `gblend compare ${[...startFlags, ...rest].join(' ')} --out DIR`, cores: availableParallelism(), repeats,
  wall_seconds: Object.fromEntries(jobsList.map((j) => [`jobs_${j}`, times.get(j)])),
  speedup_vs_first: Object.fromEntries(jobsList.map((j) => [`jobs_${j}`, Number((base / best(j)).toFixed(2))])),
  identical_results: true,
}, null, 2)}\n`);
