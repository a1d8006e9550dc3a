/**
 * `node dist/bench/small-breakdown.js [--json] [--dir DIR]`: where one small_mlp_step step goes on
 * the native backend (1 thread), as docs/small-models.md reports it. Two halves, both independent
 * of the machine's load:
 * - counts (this process, counting wrappers: breakdown/counters.ts): kernels per step by phase,
 *   engine ops, tensors, scopes, tape nodes, addon calls; the steps and evaluations of a small_run;
 * - instructions (a child under `valgrind --tool=callgrind`, one profile part per region:
 *   breakdown/regions.ts): Ir per step and per epoch evaluation of each of small_run's models, and
 *   per op of three micro-benchmarks (an engine op, the same addon calls directly, a bare crossing).
 * Takes about fifteen minutes (callgrind runs node about 50 times slower). The parts, regions.json
 * and counts.json stay in DIR (default: a new temporary folder); `render DIR` prints the tables
 * from them again. `--only PREFIX` measures only the regions whose label starts with PREFIX
 * (e.g. step:fou+kar+fused) and prints JSON. `regions [PREFIX]` and `counts` run one half alone
 * and print its JSON.
 *
 * It measures the op-by-op step through tfjs' kernels (GBLEND_NATIVE_STEP=0), the one these tables
 * were made for; `--whole-step` measures the loop's native whole step instead (one addon call a
 * step: only the instruction counts say anything there, with --only).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine } from '../src/engine/index.js';
import { setNativeSteps } from '../src/train/native-step.js';
import { unitCosts } from './breakdown/costs.js';
import { runRegions, type Region } from './breakdown/regions.js';
import { countSmallStep } from './breakdown/step-counts.js';
import { renderBreakdown, type Breakdown } from './breakdown/table.js';
import { runJsonChild } from './spawn-json.js';

const SELF = fileURLToPath(import.meta.url);

/** The callgrind child: each call to the addon's liveCount (the region marker) starts a new part. */
async function callgrindRegions(dir: string, only: string, wholeStep: boolean): Promise<Region[]> {
  const args = ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'cg')}`, '--dump-before=*liveCount_entry*',
    // --single-threaded: V8 compiles and collects on this thread, so every instruction lands in the regions' parts.
    process.execPath, '--single-threaded', SELF, 'regions', only, ...(wholeStep ? ['--whole-step'] : [])];
  process.stderr.write(`small-breakdown: valgrind ${args.join(' ')} (a few minutes) ...\n`);
  const { json } = await runJsonChild('valgrind', args, process.env);
  return json as Region[];
}

/** The value after `name` in argv, if given. */
function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const wholeStep = argv.includes('--whole-step');
  setNativeSteps(wholeStep);
  if (argv[0] !== 'render') await initEngine({ backend: 'native', threads: 1 });
  if (argv[0] === 'regions') {
    process.stdout.write(`${JSON.stringify(await runRegions(argv[1] === '--whole-step' ? '' : (argv[1] ?? '')))}\n`);
    return;
  }
  if (argv[0] === 'counts') {
    process.stdout.write(`${JSON.stringify(await countSmallStep())}\n`);
    return;
  }
  let dir: string;
  if (argv[0] === 'render') {
    dir = argv[1] ?? '.';
  } else {
    dir = option(argv, '--dir') ?? mkdtempSync(join(tmpdir(), 'gblend-breakdown-'));
    const only = option(argv, '--only') ?? '';
    writeFileSync(join(dir, 'regions.json'), JSON.stringify(await callgrindRegions(dir, only, wholeStep)));
    writeFileSync(join(dir, 'counts.json'), JSON.stringify(await countSmallStep()));
  }
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const breakdown: Breakdown = { counts: read('counts.json') as Breakdown['counts'], costs: unitCosts(dir, read('regions.json') as Region[]) };
  // The tables need every region: with --only, the JSON alone.
  const json = argv.includes('--json') || argv.includes('--only');
  process.stdout.write(json ? `${JSON.stringify(breakdown)}\n` : `${renderBreakdown(breakdown)}\n\ncallgrind parts: ${dir}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`small-breakdown: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
