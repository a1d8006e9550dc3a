/**
 * Runs bench/torch_reference.py (Debian's python3-torch) twice: with OPENBLAS_CORETYPE set to the
 * requested core, and with it unset (OpenBLAS's own CPU detection, which 0.3.21 gets wrong on some
 * AVX-512 CPUs). OPENBLAS_VERBOSE=2 makes OpenBLAS print the core it picked; the script also
 * asks OpenBLAS (openblas_get_corename) and sets OpenBLAS's threads (--blas-threads, default --threads).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchArgs } from './args.js';
import { runJsonChild } from './spawn-json.js';
import type { Measurement } from './timing.js';

/** The script is not compiled: from dist/bench/ it is ../../bench/torch_reference.py. */
export const TORCH_SCRIPT = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bench', 'torch_reference.py');

export interface TorchRun {
  available: true;
  torch: string;
  threads: number;
  blas: { core: string; config: string; threads: number; coretype_env: string | null } | null;
  /** The "Core: ..." line(s) OPENBLAS_VERBOSE=2 printed. */
  verbose: string[];
  results: Record<string, Omit<Measurement, 'unit'> & { unit: string } | { error: string }>;
}
export type TorchOutcome = TorchRun | { available: false; reason: string };

/** Keys of the two runs in the report. */
export const TORCH_KEYS = { pinned: 'torch', auto: 'torch-autocore' } as const;

async function runOnce(args: BenchArgs, coretype: string | null): Promise<TorchOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_VERBOSE: '2', OPENBLAS_NUM_THREADS: String(args.blasThreads), OMP_NUM_THREADS: String(args.threads) };
  if (coretype === null) delete env['OPENBLAS_CORETYPE'];
  else env['OPENBLAS_CORETYPE'] = coretype;
  const t = args.timing;
  const argv = [
    TORCH_SCRIPT, '--threads', String(args.threads), '--blas-threads', String(args.blasThreads), '--workloads', args.workloads.join(','), '--warmup', String(t.warmup),
    '--repeats', String(t.repeats), '--seconds', String(t.seconds), '--min-iters', String(t.minIters), '--run-repeats', String(args.runRepeats),
  ];
  process.stderr.write(`bench: PyTorch reference, OPENBLAS_CORETYPE=${coretype ?? '(unset)'} ...\n`);
  try {
    const { json, stderr } = await runJsonChild(args.python, argv, env);
    const out = json as TorchOutcome;
    if (!out.available) return { available: false, reason: `${out.reason} (with ${args.python}; the reference needs Debian's python3-torch: apt-get install python3-torch)` };
    return { ...out, verbose: stderr.split('\n').filter((l) => /^Core( not found)?:/.test(l.trim())).map((l) => l.trim()) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { available: false, reason: `${args.python} not found (apt-get install python3-torch)` };
    throw err;
  }
}

export async function runTorchReference(args: BenchArgs): Promise<Record<string, TorchOutcome>> {
  const pinned = await runOnce(args, args.coretype);
  if (!pinned.available) return { [TORCH_KEYS.pinned]: pinned };
  return { [TORCH_KEYS.pinned]: pinned, [TORCH_KEYS.auto]: await runOnce(args, null) };
}
