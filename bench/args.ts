/** Command-line options of `npm run bench -- ...` (see README.md). */
import { parseArgs } from 'node:util';
import { BACKENDS, type BenchBackend } from './backends.js';
import type { TimingOptions } from './timing.js';
import { WORKLOADS } from './workloads/index.js';

export interface BenchArgs {
  json: boolean;
  torch: boolean;
  threads: number;
  workloads: string[];
  backends: BenchBackend[];
  timing: TimingOptions;
  runRepeats: number;
  /** OPENBLAS_CORETYPE for the main PyTorch run; a second run leaves it unset. */
  coretype: string;
  python: string;
  /** OpenBLAS threads of the PyTorch reference (default: threads). */
  blasThreads: number;
  /** Measure the fp32 FMA peak (bench/fma-peak.cc) first; off with --no-peak. */
  peak: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --json               print one JSON object on stdout (default: a table)
  --torch              also run the PyTorch reference (bench/torch_reference.py), twice:
                       OPENBLAS_CORETYPE=<coretype> and unset; adds gblend/PyTorch ratios
  --threads N          threads for every backend and for PyTorch (default 1)
  --workloads a,b      subset of: ${WORKLOADS.map((w) => w.name).join(', ')}
  --backends a,b       subset of: ${BACKENDS.join(', ')} (default all)
  --repeats N          timed repeats per step workload, median reported (default 5)
  --run-repeats N      repeats of the whole-run epoch workloads (default 3)
  --warmup N           untimed warm-up iterations (default 3; 0 skips the epoch warm-up run)
  --seconds S          target length of one timed repeat (default 1)
  --quick              --repeats 3 --run-repeats 1 --seconds 0.5
  --no-peak            skip the fp32 FMA peak measurement (fma_peak, of_fma_peak)
  --coretype NAME      OPENBLAS_CORETYPE for the PyTorch run (default SkylakeX)
  --blas-threads N     OpenBLAS threads of the PyTorch reference (default: --threads)
  --python PATH        interpreter with torch (default /usr/bin/python3, Debian's python3-torch)`;

function list<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (value === undefined) return [...all];
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const i of items) if (!(all as readonly string[]).includes(i)) throw new Error(`unknown ${what} '${i}' (have: ${all.join(', ')})`);
  return items as T[];
}

function positive(value: string | undefined, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${value}'`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      json: { type: 'boolean' }, torch: { type: 'boolean' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      threads: { type: 'string' }, workloads: { type: 'string' }, backends: { type: 'string' }, repeats: { type: 'string' },
      'run-repeats': { type: 'string' }, warmup: { type: 'string' }, seconds: { type: 'string' }, coretype: { type: 'string' }, python: { type: 'string' },
      'blas-threads': { type: 'string' }, 'no-peak': { type: 'boolean' },
    },
  });
  if (v.help === true) return 'help';
  const quick = v.quick === true;
  const threads = Math.floor(positive(v.threads, 1, 'threads'));
  return {
    json: v.json === true,
    torch: v.torch === true,
    peak: v['no-peak'] !== true,
    threads,
    blasThreads: Math.floor(positive(v['blas-threads'], threads, 'blas-threads')),
    workloads: list(v.workloads, WORKLOADS.map((w) => w.name), 'workload'),
    backends: list(v.backends, BACKENDS, 'backend'),
    timing: {
      warmup: Math.floor(positive(v.warmup, 3, 'warmup', true)),
      repeats: Math.floor(positive(v.repeats, quick ? 3 : 5, 'repeats')),
      seconds: positive(v.seconds, quick ? 0.5 : 1, 'seconds'),
      minIters: 3,
    },
    runRepeats: Math.floor(positive(v['run-repeats'], quick ? 1 : 3, 'run-repeats')),
    coretype: v.coretype ?? 'SkylakeX',
    python: v.python ?? '/usr/bin/python3',
  };
}
