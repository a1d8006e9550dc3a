/**
 * The CPU's measured fp32 FMA peak (bench/fma-peak.cc), the ceiling matmul1024 is reported against
 * (`of_fma_peak`). The C++ source is compiled with the system g++ on first use into a cache
 * directory keyed by a hash of the source and flags, so an edit recompiles and a re-run does not.
 * Never throws: without g++, or if it fails, the peak is `{ available: false, reason }` and the
 * rest of the bench runs as before.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The source is not compiled by tsc: from dist/bench/ it is ../../bench/fma-peak.cc. */
export const FMA_PEAK_SOURCE = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bench', 'fma-peak.cc');
const CXX = 'g++';
const FLAGS = ['-O2', '-std=c++17', '-pthread'];

export type FmaPeak =
  | { available: true; value: number; unit: 'GFLOP/s'; isa: string; threads: number; per_thread: number[] }
  | { available: false; reason: string };

const message = (err: unknown): string => {
  if (err === null || typeof err !== 'object') return String(err);
  const e = err as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === 'ENOENT') return `${CXX} not found (install g++ to measure the FMA peak)`;
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split('\n').slice(-5).join(' | ') : '';
  return stderr !== '' ? stderr : String(e.message);
};

/** Compiles (if not cached) and returns the binary's path. */
async function binary(): Promise<string> {
  if (!existsSync(FMA_PEAK_SOURCE)) throw new Error(`fma-peak source not found at ${FMA_PEAK_SOURCE} (it is not compiled into dist/; run from the repository)`);
  const hash = createHash('sha256').update(readFileSync(FMA_PEAK_SOURCE)).update(FLAGS.join(' ')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'gblend-bench');
  const exe = join(dir, `fma-peak-${hash}`);
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  // Compile under a unique name, then rename: a concurrent bench never runs a half-written binary.
  const partial = `${exe}.${process.pid}.tmp`;
  await run(CXX, [...FLAGS, '-o', partial, FMA_PEAK_SOURCE]);
  renameSync(partial, exe);
  return exe;
}

/** Measures the peak on `threads` threads at once for about `seconds` (median of 5 repeats). */
export async function measureFmaPeak(threads: number, seconds = 1): Promise<FmaPeak> {
  try {
    const exe = await binary();
    const { stdout } = await run(exe, [String(threads), String(seconds)], { timeout: (seconds + 30) * 1000 });
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { gflops: number; per_thread: number[]; isa: string; threads: number };
    if (!(r.gflops > 0)) throw new Error(`fma-peak printed no rate: ${stdout.trim()}`);
    return { available: true, value: r.gflops, unit: 'GFLOP/s', isa: r.isa, threads: r.threads, per_thread: r.per_thread };
  } catch (err) {
    return { available: false, reason: message(err) };
  }
}
