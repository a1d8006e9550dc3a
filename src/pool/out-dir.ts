/**
 * What `compare --out DIR` may find in DIR. gblend never writes over what it did not write, and never
 * mixes two comparisons: DIR must be new, empty, or hold one comparison of gblend's and nothing else.
 *
 * A comparison is recognised by its marker: DIR/checkpoints/comparison.json while it is unfinished,
 * DIR/results.json once it is finished. Each names its runs, so the run logs in DIR/runs/ can be told
 * from a user's files of the same look. Besides the comparison's own files, only DIR/diagnosis.json
 * (written by `gblend diagnose --out`, read by the report) may be there.
 *
 * A comparison cannot be replaced in one step as a model is (its checkpoints live in DIR, and it takes
 * hours), so a new one over it deletes the old one's files when it starts, and a Ctrl-C then keeps
 * neither: that takes the user's word, --overwrite. Without it a finished comparison is refused.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileError } from '../io/file-error.js';
import { PARTIAL_SUFFIX } from '../io/atomic.js';
import { runName } from '../report/run-log.js';
import { CHECKPOINTS, readPlan, type RunId } from './layout.js';

const OWN = ['results.json', 'report.html', CHECKPOINTS, 'runs', `results.json${PARTIAL_SUFFIX}`, `report.html${PARTIAL_SUFFIX}`];
/** Written into a comparison's folder by another command; compare leaves it alone. */
const BESIDE = ['diagnosis.json'];
/** What a process killed while checking that it may write leaves (io/output-check.ts). */
const isProbe = (name: string): boolean => name.startsWith('.gblend-write-test-');

/** The runs of the finished comparison whose results.json is in `out`; null if there is none of gblend's. */
async function finishedRuns(out: string): Promise<RunId[] | null> {
  const text = await readFile(join(out, 'results.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as { dataset?: unknown; methods?: Record<string, { seeds?: unknown }> };
    if (typeof r.dataset !== 'string' || typeof r.methods !== 'object' || r.methods === null) return null;
    const runs: RunId[] = [];
    for (const [method, m] of Object.entries(r.methods)) {
      if (!Array.isArray(m?.seeds) || !m.seeds.every((s) => Number.isInteger(s))) return null;
      for (const seed of m.seeds as number[]) runs.push({ method, seed });
    }
    return runs;
  } catch {
    return null;
  }
}

/** A few names for a message. */
function names(files: string[]): string {
  const shown = files.slice(0, 5).map((f) => JSON.stringify(f)).join(', ');
  return files.length > 5 ? `${shown}, ... (${files.length} in all)` : shown;
}

/** What `out` holds: nothing, an unfinished comparison of gblend's, or a finished one. */
export type ComparisonDirState = 'empty' | 'unfinished' | 'finished';

/**
 * Throws a FileError if `out` holds anything but one comparison of gblend's (and a diagnosis), or a
 * finished one that is neither to be overwritten nor can be resumed. Writes nothing; run it before
 * training.
 */
export async function checkComparisonDir(out: string, intent: { resume: boolean; overwrite: boolean }): Promise<ComparisonDirState> {
  const entries = await readdir(out).catch(() => null);
  if (entries === null || entries.length === 0) return 'empty';
  const plan = await readPlan(out);
  const runs = plan?.runs ?? (await finishedRuns(out));
  const logs = new Set((runs ?? []).flatMap((r) => [`${runName(r.method, r.seed)}.jsonl`, `${runName(r.method, r.seed)}.jsonl${PARTIAL_SUFFIX}`]));
  const ownLogs = entries.includes('runs') ? await readdir(join(out, 'runs')).catch(() => null) : [];
  const foreign = [
    ...entries.filter((e) => !BESIDE.includes(e) && !isProbe(e) && (runs === null || !OWN.includes(e))),
    ...(runs === null ? [] : ownLogs === null ? ['runs'] : ownLogs.filter((f) => !logs.has(f) && !isProbe(f)).map((f) => `runs/${f}`)),
  ].sort();
  if (foreign.length > 0) {
    throw new FileError('OUTPUT_NOT_EMPTY', out, `holds ${names(foreign)}, which gblend compare did not write; compare writes only into a new or empty folder, or into its own unfinished comparison to resume it: give a new --out`);
  }
  if (runs === null) return 'empty';
  if (plan !== null) return 'unfinished';
  if (intent.overwrite) return 'finished';
  throw new FileError('OUTPUT_NOT_EMPTY', out, intent.resume
    ? `is a finished comparison (results.json): nothing to resume ('gblend report ${out}' rebuilds its report); --overwrite instead of --resume runs it again`
    : 'holds a finished comparison (results.json): add --overwrite to replace it (only the files compare wrote), or give a new --out');
}

/** Deletes what compare wrote in `out` (checkComparisonDir said that is all there is, besides a diagnosis). */
export async function clearComparison(out: string): Promise<void> {
  for (const name of OWN) await rm(join(out, name), { recursive: true, force: true });
}
