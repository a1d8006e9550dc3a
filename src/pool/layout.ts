/**
 * Where a comparison keeps what it needs to resume, all under DIR/checkpoints/ (never mixed with the
 * user's output, removed when the comparison completes):
 *   comparison.json     the options and the list of runs, written when the comparison starts
 *   <run>.ckpt          the last epoch-boundary RunState of a run in progress
 *   <run>.result.json   a finished run's result: the moment a run counts as done
 * The run logs stay in DIR/runs/ (<run>.jsonl.partial while the run is in progress).
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompareConfig } from '../config/schema.js';
import { UserError } from '../core/user-error.js';
import { PARTIAL_SUFFIX, removeEmptyDirs, writeFileAtomic } from '../io/atomic.js';
import type { Results, SeedResult } from '../report/results.js';
import { runName } from '../report/run-log.js';

export const CHECKPOINTS = 'checkpoints';

export interface RunId {
  method: string;
  seed: number;
}

/** What comparison.json holds: enough to check a resume and to report on an interrupted comparison. */
export interface ComparisonPlan {
  version: 1;
  /** The options that decide the numbers (threads and jobs aside), JSON. */
  key: string;
  meta: Omit<Results, 'methods'>;
  runs: RunId[];
}

export class ResumeError extends UserError {
  constructor(message: string) {
    super('bad_resume', message);
  }
}

export const checkpointsDir = (out: string): string => join(out, CHECKPOINTS);
export const planFile = (out: string): string => join(out, CHECKPOINTS, 'comparison.json');
export const checkpointFile = (out: string, r: RunId): string => join(out, CHECKPOINTS, `${runName(r.method, r.seed)}.ckpt`);
export const resultFile = (out: string, r: RunId): string => join(out, CHECKPOINTS, `${runName(r.method, r.seed)}.result.json`);
export const logFile = (out: string, r: RunId): string => join(out, 'runs', `${runName(r.method, r.seed)}.jsonl`);

/** The options of a comparison that its numbers depend on. */
export function comparisonKey(config: CompareConfig): string {
  const { threads: _t, out: _o, ...rest } = config;
  return JSON.stringify(rest);
}

export async function readPlan(out: string): Promise<ComparisonPlan | null> {
  const text = await readFile(planFile(out), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const plan = JSON.parse(text) as ComparisonPlan;
    if (plan.version === 1 && typeof plan.key === 'string' && Array.isArray(plan.runs)) return plan;
  } catch {
    // Reported below.
  }
  throw new ResumeError(`${planFile(out)}: damaged; delete ${out} (or give a new --out) to start the comparison over`);
}

/** Writes the plan of a new comparison; returns the outermost folder this created, if any (see abandonIfEmpty). */
export async function writePlan(out: string, plan: ComparisonPlan): Promise<string | undefined> {
  const created = await mkdir(checkpointsDir(out), { recursive: true });
  await writeFileAtomic(planFile(out), `${JSON.stringify(plan)}\n`, 'the comparison plan');
  return created;
}

/**
 * After a failed comparison: when no run left anything to resume from (no checkpoint, no result), the
 * plan goes too, with the folders it created, so that an input error found by a run writes nothing.
 */
export async function abandonIfEmpty(out: string, runs: RunId[], created: string | undefined): Promise<void> {
  for (const r of runs) {
    if ((await stat(checkpointFile(out, r)).catch(() => null)) !== null) return;
    if ((await stat(resultFile(out, r)).catch(() => null)) !== null) return;
  }
  await rm(planFile(out), { force: true });
  // Runs in workers share DIR/runs: the log that made it may fail first, while another's log is still there.
  await rmdir(join(out, 'runs')).catch(() => undefined);
  await removeEmptyDirs(checkpointsDir(out), created ?? checkpointsDir(out));
}

/** A finished run's result, or null while it is not finished. */
export async function readResult(out: string, r: RunId): Promise<SeedResult | null> {
  const text = await readFile(resultFile(out, r), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as SeedResult;
  } catch {
    throw new ResumeError(`${resultFile(out, r)}: damaged; delete it to train that run again`);
  }
}

/**
 * Puts the folder in order before resuming: half-written files of a killed process (*.partial of
 * atomic writes) go, and a finished run whose log was not yet renamed gets its final name.
 */
export async function tidyForResume(out: string, runs: RunId[]): Promise<void> {
  const names = await readdir(checkpointsDir(out)).catch(() => [] as string[]);
  for (const name of names) if (name.endsWith(PARTIAL_SUFFIX)) await rm(join(checkpointsDir(out), name), { force: true });
  for (const name of ['results.json', 'report.html']) await rm(join(out, `${name}${PARTIAL_SUFFIX}`), { force: true });
  for (const r of runs) {
    if ((await readResult(out, r)) === null) continue;
    const partial = `${logFile(out, r)}${PARTIAL_SUFFIX}`;
    if ((await stat(partial).catch(() => null)) !== null) await rename(partial, logFile(out, r));
    await rm(checkpointFile(out, r), { force: true });
  }
}

/** Removes DIR/checkpoints once the comparison is complete: only the files this module names. */
export async function removeCheckpoints(out: string, runs: RunId[]): Promise<void> {
  for (const r of runs) {
    await rm(checkpointFile(out, r), { force: true });
    await rm(resultFile(out, r), { force: true });
  }
  await rm(planFile(out), { force: true });
  await rmdir(checkpointsDir(out)).catch(() => undefined);
}
